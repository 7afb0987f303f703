package dev.cotenant.events;

import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;

/**
 * What the profiler knows of one application: its solo behaviour and its slowdown beside each
 * co-tenant app. Published to the compacted {@link Topics#PROFILES} topic keyed by app, so the
 * latest profile per app is always there for placement to load.
 */
public record AppProfile(
    String eventId,
    Instant time,
    String app,
    long observations,
    OptionalDouble soloSeconds,
    long gpuMemoryMiB,
    double smActivity,
    double dramActivity,
    List<PairEstimate> pairs)
    implements CotenantEvent {
  public AppProfile {
    pairs = List.copyOf(pairs);
  }

  @Override
  public String key() {
    return app;
  }

  /**
   * The normalised throughput of this app beside {@code with} (rate co-located / rate alone),
   * measured from {@code count} observations or {@code predicted} for a pair never seen, with its
   * uncertainty (standard deviation).
   */
  public record PairEstimate(
      String with,
      double normalizedThroughput,
      double uncertainty,
      long count,
      boolean predicted,
      boolean incompatible) {}
}
