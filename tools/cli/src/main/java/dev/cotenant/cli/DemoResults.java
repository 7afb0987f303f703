package dev.cotenant.cli;

import dev.cotenant.events.GpuRef;
import dev.cotenant.events.JobEvent;
import dev.cotenant.events.JobPlaced;
import dev.cotenant.events.PodBound;
import dev.cotenant.events.PodFinished;
import dev.cotenant.events.PodStarted;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The demo's figures, computed only from the job events the services emitted (placement's PodBound
 * and JobPlaced, the monitor's PodStarted and PodFinished with the pods' own timestamps), converted
 * to the seed's seconds with the simulated cluster's speed (simulated seconds per wall second).
 * Pure: the tests feed it synthetic events.
 */
public final class DemoResults {
  private DemoResults() {}

  /**
   * One pod's run as its events tell it.
   *
   * @param bound when placement's Binding succeeded (PodBound), if seen
   * @param started when its containers started (PodStarted, else PodFinished's startedAt)
   * @param finished when it ended (PodFinished), if it has
   * @param runSeconds wall seconds from start to end (the monitor's figure)
   */
  public record PodRun(
      String jobId,
      String pod,
      String node,
      List<Integer> gpus,
      Optional<Instant> bound,
      Optional<Instant> started,
      Optional<Instant> finished,
      double runSeconds,
      Optional<PodFinished.Outcome> outcome) {

    PodRun withBound(Instant t) {
      return new PodRun(
          jobId, pod, node, gpus, Optional.of(t), started, finished, runSeconds, outcome);
    }

    PodRun withStarted(Instant t) {
      return new PodRun(
          jobId, pod, node, gpus, bound, Optional.of(t), finished, runSeconds, outcome);
    }

    /** The monitor's PodFinished carries the start too, in case its PodStarted was never seen. */
    PodRun withEnd(PodFinished f) {
      return new PodRun(
          jobId,
          pod,
          node,
          gpus,
          bound,
          started.or(() -> Optional.of(f.startedAt())),
          Optional.of(f.time()),
          f.runSeconds(),
          Optional.of(f.outcome()));
    }
  }

  /** Every pod of the events, by pod name, in the order their first event came. */
  public static Map<String, PodRun> pods(Collection<? extends JobEvent> events) {
    Map<String, PodRun> pods = new LinkedHashMap<>();
    for (JobEvent e : events) {
      if (e instanceof PodBound b) {
        pods.compute(
            b.pod(),
            (k, r) -> with(r, b.jobId(), b.pod(), b.node(), indexes(b.gpus())).withBound(b.time()));
      } else if (e instanceof PodStarted s) {
        pods.compute(
            s.pod(),
            (k, r) ->
                with(r, s.jobId(), s.pod(), s.node(), indexes(s.gpus())).withStarted(s.time()));
      } else if (e instanceof PodFinished f) {
        pods.compute(
            f.pod(), (k, r) -> with(r, f.jobId(), f.pod(), f.node(), indexes(f.gpus())).withEnd(f));
      }
    }
    return pods;
  }

  private static PodRun with(PodRun r, String job, String pod, String node, List<Integer> gpus) {
    if (r != null) {
      return r.gpus().isEmpty() && !gpus.isEmpty()
          ? new PodRun(
              r.jobId(),
              r.pod(),
              r.node(),
              gpus,
              r.bound(),
              r.started(),
              r.finished(),
              r.runSeconds(),
              r.outcome())
          : r;
    }
    return new PodRun(
        job,
        pod,
        node,
        gpus,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Double.NaN,
        Optional.empty());
  }

  private static List<Integer> indexes(List<GpuRef> gpus) {
    return gpus.stream().map(GpuRef::index).toList();
  }

  /** Batch figures in simulated seconds: what seed 001's Table 4 reports per placement. */
  public record Batch(
      double makespanSeconds,
      double meanRunSeconds,
      Map<String, Double> runSeconds,
      int succeeded,
      int failed) {}

  /**
   * A batch submitted together: its makespan (first pod start to last pod end) and each pod's run
   * time (start to end), both times {@code speed}.
   *
   * @param names a display name per job id (e.g. L1 for seed 001's first LAMMPS container)
   */
  public static Batch batch(
      Collection<? extends JobEvent> events, Map<String, String> names, double speed) {
    Map<String, PodRun> pods = pods(events);
    Instant first = null;
    Instant last = null;
    Map<String, Double> run = new LinkedHashMap<>();
    int succeeded = 0;
    int failed = 0;
    for (PodRun p : pods.values()) {
      if (p.outcome().isEmpty()) {
        continue;
      }
      if (p.outcome().get() != PodFinished.Outcome.SUCCEEDED) {
        failed++;
        continue;
      }
      succeeded++;
      Instant start = p.started().orElseThrow();
      Instant end = p.finished().orElseThrow();
      first = first == null || start.isBefore(first) ? start : first;
      last = last == null || end.isAfter(last) ? end : last;
      run.put(names.getOrDefault(p.jobId(), p.pod()), p.runSeconds() * speed);
    }
    double makespan = first == null ? Double.NaN : seconds(first, last) * speed;
    double mean =
        run.values().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    return new Batch(makespan, mean, run, succeeded, failed);
  }

  /** Card index per display name, from the pods' PodBound (for seed 001's placements). */
  public static Map<String, List<Integer>> cards(
      Collection<? extends JobEvent> events, Map<String, String> names) {
    Map<String, List<Integer>> cards = new LinkedHashMap<>();
    for (PodRun p : pods(events).values()) {
      cards.put(names.getOrDefault(p.jobId(), p.pod()), p.gpus());
    }
    return cards;
  }

  /**
   * A fan-out's figures in simulated seconds.
   *
   * @param replicas pods that succeeded
   * @param fanOutSeconds from the first pod bound to the last pod's end
   * @param startSpreadSeconds from the first pod's start to the last one's (seed 000: 59 s at 30)
   * @param boundSpreadSeconds from the first pod bound to the last one bound: 0 for a gang, the
   *     time pods waited for capacity when placed one by one
   * @param pipelineSeconds the fan-out plus the pipeline's fixed cost
   * @param placedBeforeAnyEnded placement had placed every pod (its JobPlaced events) before the
   *     first pod ended: no pod waited for another's end to be given a core (no stall), which a
   *     gang that fits guarantees. Starts still follow one another: a node starts one pod at a time
   */
  public record FanOut(
      int replicas,
      int failed,
      double fanOutSeconds,
      double startSpreadSeconds,
      double boundSpreadSeconds,
      double pipelineSeconds,
      boolean placedBeforeAnyEnded) {}

  /**
   * @param fixedSeconds what the seed's pipeline spends besides its N containers (orchestration and
   *     the merge step), added to the fan-out's own time
   */
  public static FanOut fanOut(
      Collection<? extends JobEvent> events, double speed, double fixedSeconds) {
    Map<String, PodRun> pods = pods(events);
    Instant firstBound = null;
    Instant lastBound = null;
    Instant firstStart = null;
    Instant lastStart = null;
    Instant lastEnd = null;
    Instant firstEnd = null;
    int ok = 0;
    int failed = 0;
    Instant lastPlaced = null;
    for (JobEvent e : events) {
      if (e instanceof JobPlaced placed) {
        lastPlaced = max(lastPlaced, placed.time());
      }
    }
    for (PodRun p : pods.values()) {
      if (p.outcome().isPresent() && p.outcome().get() != PodFinished.Outcome.SUCCEEDED) {
        failed++;
        continue;
      }
      if (p.outcome().isEmpty()) {
        continue;
      }
      ok++;
      Instant start = p.started().orElseThrow();
      // A pod may start before placement's PodBound, which is stamped when the Binding's answer
      // is in: the pod was the cluster's by its start at the latest.
      Instant bound = p.bound().filter(b -> b.isBefore(start)).orElse(start);
      Instant end = p.finished().orElseThrow();
      firstBound = min(firstBound, bound);
      lastBound = max(lastBound, bound);
      firstStart = min(firstStart, start);
      lastStart = max(lastStart, start);
      lastEnd = max(lastEnd, end);
      firstEnd = min(firstEnd, end);
    }
    if (ok == 0) {
      return new FanOut(0, failed, Double.NaN, Double.NaN, Double.NaN, Double.NaN, false);
    }
    double fan = seconds(firstBound, lastEnd) * speed;
    return new FanOut(
        ok,
        failed,
        fan,
        seconds(firstStart, lastStart) * speed,
        seconds(firstBound, lastBound) * speed,
        fan + fixedSeconds,
        lastPlaced != null && lastPlaced.isBefore(firstEnd));
  }

  /** Replicas placement gave a job (its JobPlaced): for {@code auto}, the N it chose. */
  public static Optional<Integer> placedReplicas(Collection<? extends JobEvent> events) {
    return events.stream()
        .filter(JobPlaced.class::isInstance)
        .map(e -> ((JobPlaced) e).pods().size())
        .findFirst();
  }

  private static Instant min(Instant a, Instant b) {
    return a == null || b.isBefore(a) ? b : a;
  }

  private static Instant max(Instant a, Instant b) {
    return a == null || b.isAfter(a) ? b : a;
  }

  static double seconds(Instant from, Instant to) {
    return Duration.between(from, to).toNanos() / 1e9;
  }
}
