package dev.cotenant.jobapi.dashboard;

import dev.cotenant.events.GpuSample;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The cluster's GPU cards as the monitor last reported them, one entry per node and card. Built
 * from the telemetry stream alone: a card the monitor stops reporting (its node gone, its exporter
 * down) is shown as stale after {@code staleAfter} and forgotten after {@code forgetAfter}, so the
 * view never pretends to know a state it has not heard of lately.
 */
public final class ClusterView {
  private final ConcurrentMap<String, GpuSample> latest = new ConcurrentHashMap<>();
  private final Duration staleAfter;
  private final Duration forgetAfter;
  private final Clock clock;

  public ClusterView(Duration staleAfter, Duration forgetAfter, Clock clock) {
    this.staleAfter = staleAfter;
    this.forgetAfter = forgetAfter;
    this.clock = clock;
  }

  /** One card's latest sample, and whether it is older than the stale threshold. */
  public record Card(GpuSample sample, boolean stale) {}

  /** Keeps each card's newest sample; an older one arriving late changes nothing. */
  public void accept(List<GpuSample> samples) {
    for (GpuSample s : samples) {
      if (s.node() == null || s.gpu() == null || s.time() == null) {
        continue;
      }
      latest.merge(
          s.node() + "/" + s.gpu().index(),
          s,
          (old, now) -> now.time().isBefore(old.time()) ? old : now);
    }
  }

  /** Every card heard of within {@code forgetAfter}, by node then card index. */
  public List<Card> cards() {
    Instant now = clock.instant();
    latest.values().removeIf(s -> s.time().plus(forgetAfter).isBefore(now));
    return latest.values().stream()
        .sorted(Comparator.comparing(GpuSample::node).thenComparingInt(s -> s.gpu().index()))
        .map(s -> new Card(s, s.time().plus(staleAfter).isBefore(now)))
        .toList();
  }
}
