package dev.cotenant.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.HdrHistogram.Histogram;

/**
 * The bookkeeping of {@code ./cotenant load --until bound}, joined by job id: each accepted POST
 * (its send time, its replica count, whether it falls in the measured window) and each PodBound
 * received for it. A job is bound once every one of its pods ({@code jobId-0} … {@code
 * jobId-(replicas-1)}, the placement engine's names) has a PodBound; its latency runs from the
 * POST's send to the arrival of the last of them. Times are one JVM's {@code nanoTime}.
 *
 * <p>Either side may come first (a PodBound can overtake the HTTP answer that carries the job id),
 * so both are kept until {@link #summary} joins them; PodBounds of jobs this run did not submit are
 * ignored there. A redelivered event (same event id) is not a second binding. Thread-safe: the HTTP
 * callbacks and the Kafka reader record concurrently.
 */
final class BoundTally {
  /** What the run's final line reports, plus the detail printed above it. */
  record Summary(
      long accepted,
      long bound,
      long boundInWindow,
      double boundPerSecond,
      Histogram latencyMicros,
      long lost,
      long reboundPods,
      long foreignPods) {
    /** Pods bound by more than one distinct event, plus pods the job does not have. */
    long duplicated() {
      return reboundPods + foreignPods;
    }

    /** The one line a benchmark reads: {@code bound_per_second=… p99_ms=… lost=… duplicated=…}. */
    String line() {
      return String.format(
          java.util.Locale.ROOT,
          "bound_per_second=%.1f p99_ms=%.1f lost=%d duplicated=%d",
          boundPerSecond,
          percentileMillis(99),
          lost,
          duplicated());
    }

    double percentileMillis(double percentile) {
      return latencyMicros.getTotalCount() == 0
          ? Double.NaN
          : latencyMicros.getValueAtPercentile(percentile) / 1000.0;
    }

    double maxMillis() {
      return latencyMicros.getTotalCount() == 0 ? Double.NaN : latencyMicros.getMaxValue() / 1000.0;
    }
  }

  private static final long NOT_BOUND = Long.MIN_VALUE;

  private static final class Job {
    int replicas; // 0 until the POST's answer arrived
    long sendNanos;
    boolean measured;
    long boundNanos = NOT_BOUND;
    // Pod name → the distinct event ids that bound it, and when the first arrived.
    final Map<String, Set<String>> eventIds = new HashMap<>();
    final Map<String, Long> firstSeen = new HashMap<>();
  }

  private final Map<String, Job> jobs = new HashMap<>();
  private long accepted;
  private long bound;

  /** The POST of {@code jobId} was answered 202; it was sent at {@code sendNanos}. */
  synchronized void accepted(String jobId, int replicas, long sendNanos, boolean measured) {
    if (replicas < 1) {
      throw new IllegalArgumentException("replicas must be at least 1, got " + replicas);
    }
    Job job = jobs.computeIfAbsent(jobId, id -> new Job());
    if (job.replicas > 0) {
      return; // job-api answered the same id twice; the first send time stands
    }
    job.replicas = replicas;
    job.sendNanos = sendNanos;
    job.measured = measured;
    accepted++;
    checkBound(jobId, job);
  }

  /** A PodBound for {@code pod} of {@code jobId} arrived at {@code receiveNanos}. */
  synchronized void bound(String jobId, String pod, String eventId, long receiveNanos) {
    Job job = jobs.computeIfAbsent(jobId, id -> new Job());
    job.eventIds.computeIfAbsent(pod, p -> new HashSet<>(2)).add(eventId);
    job.firstSeen.putIfAbsent(pod, receiveNanos);
    checkBound(jobId, job);
  }

  private void checkBound(String jobId, Job job) {
    if (job.replicas == 0 || job.boundNanos != NOT_BOUND) {
      return;
    }
    long last = Long.MIN_VALUE;
    for (int i = 0; i < job.replicas; i++) {
      Long seen = job.firstSeen.get(podName(jobId, i));
      if (seen == null) {
        return;
      }
      last = Math.max(last, seen);
    }
    job.boundNanos = last;
    bound++;
  }

  /** The name placement gives replica {@code index} of a job (as {@code JobRequest.podName}). */
  static String podName(String jobId, int index) {
    return jobId + "-" + index;
  }

  synchronized long acceptedCount() {
    return accepted;
  }

  /** Accepted jobs not (yet) bound. */
  synchronized long unbound() {
    return accepted - bound;
  }

  /**
   * Joins what was recorded. Bound per second counts the jobs whose last pod was bound inside the
   * measured window [{@code windowFromNanos}, {@code windowUntilNanos}], over its length, so a
   * backlog cleared during the grace period does not inflate it; latency covers every bound job
   * whose POST was measured; lost and duplicated cover every accepted job.
   */
  synchronized Summary summary(long windowFromNanos, long windowUntilNanos) {
    Histogram latency = new Histogram(3_600_000_000L, 3);
    long inWindow = 0;
    long lost = 0;
    long rebound = 0;
    long foreign = 0;
    for (Map.Entry<String, Job> entry : jobs.entrySet()) {
      Job job = entry.getValue();
      if (job.replicas == 0) {
        continue; // not submitted by this run (or its POST failed): not ours to judge
      }
      if (job.boundNanos == NOT_BOUND) {
        lost++;
      } else {
        if (job.boundNanos >= windowFromNanos && job.boundNanos <= windowUntilNanos) {
          inWindow++;
        }
        if (job.measured) {
          long micros = Math.max(0, (job.boundNanos - job.sendNanos) / 1000);
          latency.recordValue(Math.min(micros, latency.getHighestTrackableValue()));
        }
      }
      List<String> own = new ArrayList<>(job.replicas);
      for (int i = 0; i < job.replicas; i++) {
        own.add(podName(entry.getKey(), i));
      }
      for (Map.Entry<String, Set<String>> pod : job.eventIds.entrySet()) {
        if (!own.contains(pod.getKey())) {
          foreign++;
        } else if (pod.getValue().size() > 1) {
          rebound++;
        }
      }
    }
    double seconds = Math.max(1, windowUntilNanos - windowFromNanos) / 1e9;
    return new Summary(
        accepted, bound, inWindow, inWindow / seconds, latency, lost, rebound, foreign);
  }
}
