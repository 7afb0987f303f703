package dev.cotenant.cli;

import dev.cotenant.eval.Seed000;
import dev.cotenant.events.JobEvent;
import dev.cotenant.events.JobUnschedulable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Seed 000 live: one CPU job of {@value Seed000#WORK_SECONDS} s of work split into N one-core
 * containers on the 10-core worker, for each N twice: pods placed one by one (N jobs of one
 * replica, as the seed's Kubeflow pipeline had Kubernetes schedule them) and as a gang (one job of
 * N replicas, which Cotenant starts whole or not at all), then {@code replicas: auto}.
 *
 * <p>A chunk of 1/N of the work is a workload of its own, so it is profiled under its own app
 * ({@code adder-nN}); the whole job is {@code adder}, whose profile (from the N = 1 run) is the run
 * time placement right-sizes {@code auto} by. The seed's pipeline also spent a fixed {@value
 * Seed000#OVERHEAD_SECONDS} s on orchestration and its merge step (tools/eval's fit), which the
 * demo does not run: it is added to the fan-out's measured time and said so.
 */
final class Seed000Demo {
  static final List<Integer> FULL = List.of(1, 2, 3, 10, 20, 30);
  static final List<Integer> QUICK = List.of(1, 10);
  static final int AUTO_MAX = 30;
  static final String WHOLE_APP = "adder";

  /**
   * One N: the seed's figure, then per-pod and gang figures (gang empty when it never fits).
   *
   * @param gangNeverFits the gang does not fit the worker even empty (placement's NeverFits)
   */
  record Row(
      int containers,
      double published,
      DemoResults.FanOut perPod,
      Optional<DemoResults.FanOut> gang,
      boolean gangNeverFits) {}

  record Auto(int chosenReplicas, DemoResults.FanOut run) {}

  record Result(List<Row> rows, Auto auto) {}

  private final DemoRun run;

  Seed000Demo(DemoRun run) {
    this.run = run;
  }

  Result run(List<Integer> counts) throws IOException, InterruptedException, DemoRun.DemoException {
    List<Row> rows = new ArrayList<>();
    for (int n : counts) {
      DemoResults.FanOut perPod = perPod(n);
      Optional<DemoResults.FanOut> gang = Optional.empty();
      boolean neverFits = false;
      if (n == 1) {
        gang = Optional.of(perPod); // one pod is its own gang
      } else if (n * Seed000.CPU_MILLI <= workerCpuMilli()) {
        gang = Optional.of(gang(n));
      } else {
        neverFits = gangNeverFits(n);
      }
      rows.add(new Row(n, Seed000.MEASURED.getOrDefault(n, Double.NaN), perPod, gang, neverFits));
    }
    return new Result(rows, auto());
  }

  private long workerCpuMilli() {
    return Seed000.WORKER.cpuMilli();
  }

  /** N jobs of one replica, each doing 1/N of the work. */
  private DemoResults.FanOut perPod(int n)
      throws IOException, InterruptedException, DemoRun.DemoException {
    Map<String, DemoJobs.Job> jobs = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      jobs.put(
          "c" + i, job("fanout-" + n + "-pod-" + i, app(n), 1, seconds(Seed000.WORK_SECONDS / n)));
    }
    DemoRun.Submitted s = run.batch("seed000 N=" + n + " one by one", jobs, expected(n));
    return DemoResults.fanOut(run.events(s), run.speed, Seed000.OVERHEAD_SECONDS);
  }

  /** One job of N replicas: a gang, each pod doing 1/N of the work by the replica count. */
  private DemoResults.FanOut gang(int n)
      throws IOException, InterruptedException, DemoRun.DemoException {
    Map<String, DemoJobs.Job> jobs = new LinkedHashMap<>();
    jobs.put("gang", job("fanout-" + n + "-gang", app(n), n, jobSeconds()));
    DemoRun.Submitted s = run.batch("seed000 N=" + n + " gang", jobs, expected(n));
    return DemoResults.fanOut(run.events(s), run.speed, Seed000.OVERHEAD_SECONDS);
  }

  /**
   * A gang larger than the worker: submitted to show placement's answer (never fits), then
   * cancelled, since it would wait for a node that can hold it.
   */
  private boolean gangNeverFits(int n)
      throws IOException, InterruptedException, DemoRun.DemoException {
    String id = run.jobs.submit(job("fanout-" + n + "-gang", app(n), n, jobSeconds()));
    try {
      run.await(
          "placement's answer to a gang of " + n,
          () -> run.events.of(id).stream().anyMatch(JobUnschedulable.class::isInstance),
          30_000);
      return run.events.of(id).stream()
          .filter(JobUnschedulable.class::isInstance)
          .map(e -> (JobUnschedulable) e)
          .anyMatch(u -> u.reasons().stream().anyMatch(r -> r.code().equals("NeverFits")));
    } finally {
      run.jobs.cancel(id);
    }
  }

  /** {@code replicas: auto} up to 30, once the profiler has published the whole job's run time. */
  private Auto auto() throws IOException, InterruptedException, DemoRun.DemoException {
    run.await(
        "the profiler's profile of " + WHOLE_APP,
        () -> run.events.profile(WHOLE_APP).map(p -> p.soloSeconds().isPresent()).orElse(false),
        60_000);
    Thread.sleep(2_000); // placement reads the same publication
    Map<String, DemoJobs.Job> jobs = new LinkedHashMap<>();
    jobs.put("auto", job("fanout-auto", WHOLE_APP, 0, jobSeconds()));
    DemoRun.Submitted s = run.batch("seed000 auto", jobs, expected(10));
    List<JobEvent> events = run.events(s);
    return new Auto(
        DemoResults.placedReplicas(events).orElse(0),
        DemoResults.fanOut(events, run.speed, Seed000.OVERHEAD_SECONDS));
  }

  static String app(int n) {
    return n == 1 ? WHOLE_APP : WHOLE_APP + "-n" + n;
  }

  private static Map<String, String> seconds(double solo) {
    return Map.of("sim.cotenant.dev/solo-seconds", String.valueOf(solo));
  }

  /** The whole job's run time alone: the kubelet gives each pod its share by the replica count. */
  private static Map<String, String> jobSeconds() {
    return Map.of("sim.cotenant.dev/job-solo-seconds", String.valueOf(Seed000.WORK_SECONDS));
  }

  private static double expected(int n) {
    return Seed000.MEASURED.getOrDefault(n, 90.0);
  }

  /**
   * @param replicas a count, or 0 for auto up to {@link #AUTO_MAX}
   */
  private static DemoJobs.Job job(String name, String app, int replicas, Map<String, String> a) {
    return new DemoJobs.Job(
        name, app, replicas, AUTO_MAX, Seed000.CPU_MILLI, 256, 0, 0, 0, "spread", a);
  }
}
