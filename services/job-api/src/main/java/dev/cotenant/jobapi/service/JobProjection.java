package dev.cotenant.jobapi.service;

import dev.cotenant.events.GpuRef;
import dev.cotenant.events.JobCancelRequested;
import dev.cotenant.events.JobCancelled;
import dev.cotenant.events.JobEvent;
import dev.cotenant.events.JobFailed;
import dev.cotenant.events.JobPlaced;
import dev.cotenant.events.JobQueued;
import dev.cotenant.events.JobSucceeded;
import dev.cotenant.events.JobUnschedulable;
import dev.cotenant.events.PodAssignment;
import dev.cotenant.events.PodBound;
import dev.cotenant.events.PodFinished;
import dev.cotenant.events.PodStarted;
import dev.cotenant.events.UnschedulableReason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Folds one job event into a job's state. Pure, so the ordering rules are tested without a
 * database: the status only rises in {@link JobStatus#rank()} (a late PodBound after PodStarted
 * changes nothing), terminal states stay, pod phases only move forward, and the milestone times
 * keep the earliest report, and the endpoints are those of the latest {@code JobPlaced} that names
 * any (an event without them keeps what is known). Duplicates are filtered before (by event id),
 * not here.
 */
public final class JobProjection {
  private JobProjection() {}

  public static JobState apply(JobState s, JobEvent event) {
    Instant t = event.time();
    if (event instanceof JobQueued q) {
      return moveTo(s, JobStatus.QUEUED, t, q.reason()).withQueuedAt(earliest(s.queuedAt(), t));
    }
    if (event instanceof JobUnschedulable u) {
      return moveTo(s, JobStatus.UNSCHEDULABLE, t, describe(u.reasons()))
          .withQueuedAt(earliest(s.queuedAt(), t));
    }
    if (event instanceof JobPlaced p) {
      JobState next = moveTo(s, JobStatus.PLACED, t, null);
      for (PodAssignment a : p.pods()) {
        next =
            withPod(
                next,
                new PodState(
                    a.pod(), a.replica(), a.node(), a.gpus(), PodState.Phase.PLACED, null, null));
      }
      return withEndpoints(next, p.endpoints(), t).withPlacedAt(earliest(s.placedAt(), t));
    }
    if (event instanceof PodBound b) {
      return withPod(
              moveTo(s, JobStatus.PLACED, t, null),
              new PodState(b.pod(), -1, b.node(), b.gpus(), PodState.Phase.BOUND, null, null))
          .withPlacedAt(earliest(s.placedAt(), t));
    }
    if (event instanceof PodStarted st) {
      return withPod(
              moveTo(s, JobStatus.RUNNING, t, null),
              new PodState(st.pod(), -1, st.node(), st.gpus(), PodState.Phase.RUNNING, null, null))
          .withStartedAt(earliest(s.startedAt(), t));
    }
    if (event instanceof PodFinished f) {
      Integer exit = f.exitCode().isPresent() ? f.exitCode().getAsInt() : null;
      PodState pod =
          new PodState(
              f.pod(), -1, f.node(), f.gpus(), PodState.Phase.FINISHED, f.outcome().name(), exit);
      // A finished pod ran: the job is at least RUNNING, since the pod's start.
      Instant started = f.startedAt() != null ? f.startedAt() : t;
      return withPod(moveTo(s, JobStatus.RUNNING, started, null), pod)
          .withStartedAt(earliest(s.startedAt(), started));
    }
    if (event instanceof JobSucceeded) {
      return finish(s, JobStatus.SUCCEEDED, t, null);
    }
    if (event instanceof JobFailed f) {
      return finish(s, JobStatus.FAILED, t, join(f.reason(), f.message()));
    }
    if (event instanceof JobCancelRequested c) {
      return moveTo(s, JobStatus.CANCEL_REQUESTED, t, "requested by " + c.requestedBy());
    }
    if (event instanceof JobCancelled c) {
      return finish(s, JobStatus.CANCELLED, t, c.reason());
    }
    return s; // JobSubmitted: the row itself
  }

  /**
   * Moves to {@code status} if it ranks higher, or equal but different and reported later (QUEUED
   * and UNSCHEDULABLE alternate); never out of a terminal state.
   */
  static JobState moveTo(JobState s, JobStatus status, Instant t, String reason) {
    JobStatus current = s.status();
    boolean higher = status.rank() > current.rank();
    boolean laterPeer =
        status.rank() == current.rank()
            && status != current
            && (s.statusAt() == null || t.isAfter(s.statusAt()));
    if (current.terminal() || !(higher || laterPeer)) {
      return s;
    }
    return s.withStatus(status, t, reason);
  }

  private static JobState finish(JobState s, JobStatus status, Instant t, String reason) {
    JobState next = moveTo(s, status, t, reason);
    return next == s ? s : next.withFinishedAt(t);
  }

  /** Merges what one event says about a pod into what is known: the further phase wins. */
  static JobState withPod(JobState s, PodState incoming) {
    Map<String, PodState> pods = new LinkedHashMap<>();
    s.pods().forEach(p -> pods.put(p.pod(), p));
    pods.merge(incoming.pod(), incoming, JobProjection::merge);
    List<PodState> sorted = new ArrayList<>(pods.values());
    sorted.sort(Comparator.comparing(PodState::pod));
    return s.withPods(sorted);
  }

  /**
   * Takes the endpoints of a placement reported later than the one they came from, so that any
   * order of two placements ends with the newer one's; none (a batch job, or a producer that
   * predates endpoints) never erases known ones.
   */
  static JobState withEndpoints(JobState s, List<String> endpoints, Instant t) {
    if (endpoints.isEmpty() || (s.endpointsAt() != null && !t.isAfter(s.endpointsAt()))) {
      return s;
    }
    return s.withEndpoints(endpoints, t);
  }

  private static PodState merge(PodState known, PodState news) {
    boolean forward = news.phase().compareTo(known.phase()) > 0;
    PodState ahead = forward ? news : known;
    PodState behind = forward ? known : news;
    List<GpuRef> gpus = ahead.gpus().isEmpty() ? behind.gpus() : ahead.gpus();
    return new PodState(
        known.pod(),
        Math.max(known.replica(), news.replica()),
        ahead.node() != null ? ahead.node() : behind.node(),
        gpus,
        ahead.phase(),
        ahead.outcome() != null ? ahead.outcome() : behind.outcome(),
        ahead.exitCode() != null ? ahead.exitCode() : behind.exitCode());
  }

  private static Instant earliest(Instant a, Instant b) {
    return a == null || b.isBefore(a) ? b : a;
  }

  private static String describe(List<UnschedulableReason> reasons) {
    return reasons.stream().map(r -> join(r.code(), r.message())).collect(Collectors.joining("; "));
  }

  private static String join(String code, String message) {
    return message == null || message.isBlank() ? code : code + ": " + message;
  }
}
