package dev.cotenant.placement.service;

import dev.cotenant.events.CandidateScore;
import dev.cotenant.events.GpuRef;
import dev.cotenant.events.UnschedulableReason;
import dev.cotenant.placement.model.Candidate;
import dev.cotenant.placement.model.Decision;
import dev.cotenant.placement.model.GpuSlot;
import dev.cotenant.placement.model.Reason;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/** Maps engine results to event parts, and names events so a repeat has the same id. */
final class Events {
  private Events() {}

  /**
   * The id of the one event of its kind a job or pod can have (placed, bound, succeeded…): the same
   * after a restart, so consumers drop the repeat.
   */
  static String id(String subject, String kind) {
    return UUID.nameUUIDFromBytes((subject + "\n" + kind).getBytes(StandardCharsets.UTF_8))
        .toString();
  }

  static String random() {
    return UUID.randomUUID().toString();
  }

  static List<GpuRef> gpus(List<GpuSlot> slots) {
    return slots.stream().map(s -> new GpuRef(s.index(), s.uuid())).toList();
  }

  static List<CandidateScore> candidates(Decision d) {
    return d.topCandidates().stream().map(Events::candidate).toList();
  }

  private static CandidateScore candidate(Candidate c) {
    return new CandidateScore(
        c.node(),
        c.gpuIndexes().isEmpty() ? -1 : c.gpuIndexes().get(0),
        c.totalScore(),
        c.pluginScores());
  }

  static List<UnschedulableReason> reasons(Decision d) {
    return d.reasons().stream().map(Events::reason).toList();
  }

  private static UnschedulableReason reason(Reason r) {
    return new UnschedulableReason(r.plugin(), r.code(), r.count(), r.message());
  }

  /** kube-scheduler's FailedScheduling message: "0/N nodes are available: …". */
  static String failedScheduling(Decision d, int nodes) {
    StringBuilder out = new StringBuilder("0/").append(nodes).append(" nodes are available");
    String sep = ": ";
    for (Reason r : d.reasons()) {
      out.append(sep).append(r.count()).append(' ').append(r.code());
      if (r.message() != null && !r.message().isBlank()) {
        out.append(" (").append(r.message()).append(')');
      }
      sep = ", ";
    }
    return out.append('.').toString();
  }
}
