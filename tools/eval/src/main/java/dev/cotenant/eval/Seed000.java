package dev.cotenant.eval;

import dev.cotenant.interference.InterferenceMatrix;
import dev.cotenant.interference.MatrixModel;
import dev.cotenant.placement.EngineConfig;
import dev.cotenant.sim.SimConfig;
import dev.cotenant.sim.cluster.NodeSpec;
import dev.cotenant.sim.workload.Replicas;
import dev.cotenant.sim.workload.WorkloadJob;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Seed 000: one CPU-bound job (1e10 additions) split into N single-threaded containers plus a merge
 * step, on a 10-core worker. Measured: 343 / 190 / 143 / 91 / 87 s at N = 1 / 2 / 3 / 10 / 20, and
 * 30 containers started 59 s apart.
 *
 * <p>The simulated kubelet starts one pod at a time, {@value #START_SECONDS} s each (59 s / 29
 * gaps, from the seed); each container asks for one core. The split work and the pipeline's fixed
 * cost (orchestration and the merge container) are fitted to the five measured points by least
 * squares: {@value #WORK_SECONDS} s and {@value #OVERHEAD_SECONDS} s.
 */
public final class Seed000 {

  public static final NodeSpec WORKER = new NodeSpec("seed000-worker", 10000, 32768, 0, "", 0);
  public static final double START_SECONDS = 59.0 / 29;
  public static final double WORK_SECONDS = 306;
  public static final double OVERHEAD_SECONDS = 35;
  public static final long CPU_MILLI = 1000;

  /** The measured points: containers → pipeline seconds. */
  public static final Map<Integer, Double> MEASURED =
      new java.util.TreeMap<>(Map.of(1, 343.0, 2, 190.0, 3, 143.0, 10, 91.0, 20, 87.0));

  private Seed000() {}

  static WorkloadJob job(Replicas replicas, double work) {
    double solo = replicas instanceof Replicas.Fixed f ? work / f.count() : work;
    return new WorkloadJob("fanout", "adder", 0, solo, replicas, CPU_MILLI, 256, 0, 0, 0);
  }

  /** The fan-out job right-sized by the engine ({@code replicas auto:MAX}). */
  public static Scenario scenario(int max) {
    return scenario(new Replicas.Auto(max), WORK_SECONDS, OVERHEAD_SECONDS);
  }

  static Scenario scenario(Replicas replicas, double work, double overhead) {
    return new Scenario(
        "seed000",
        "seed 000: a CPU job fanned out into N containers on a 10-core worker",
        List.of(WORKER),
        List.of(job(replicas, work)),
        new InterferenceMatrix("cpu", List.of(), List.of()),
        new SimConfig(START_SECONDS, 1),
        overhead,
        List.of("spread"));
  }

  /** One row of the curve: the seed's per-pod scheduling, a gang, and auto. */
  public record Point(int containers, double measured, double perPod, double gang) {}

  /** Simulated pipeline time for N containers, scheduled per pod or as a gang. */
  static double simulate(int n, boolean gang, double work, double overhead) {
    Scenario s = scenario(new Replicas.Fixed(n), work, overhead);
    PolicyResult r = EvalRunner.run(setup(s, gang), "spread", p -> {});
    return r.succeededJobs() == 1 ? r.meanJctSeconds() : Double.POSITIVE_INFINITY;
  }

  static EvalRunner.Setup setup(Scenario s, boolean gang) {
    MatrixModel model = new MatrixModel(s.truth());
    EngineConfig engine =
        new EngineConfig(
            "spread",
            START_SECONDS,
            EngineConfig.defaults().topCandidates(),
            EngineConfig.defaults().uncertaintyPenalty());
    return new EvalRunner.Setup(
        s.cluster(),
        s.workload(),
        model,
        () -> model,
        s.sim(),
        engine,
        s.jobOverheadSeconds(),
        gang);
  }

  public static List<Point> curve(int maxContainers) {
    List<Point> points = new ArrayList<>();
    for (int n = 1; n <= maxContainers; n++) {
      points.add(
          new Point(
              n,
              MEASURED.getOrDefault(n, Double.NaN),
              simulate(n, false, WORK_SECONDS, OVERHEAD_SECONDS),
              simulate(n, true, WORK_SECONDS, OVERHEAD_SECONDS)));
    }
    return points;
  }

  /** What {@code replicas: auto} chose and how long the pipeline took. */
  public record AutoResult(int replicas, double seconds) {}

  public static AutoResult auto(int max) {
    Scenario s = scenario(max);
    PolicyResult r = EvalRunner.run(setup(s, true), "spread", p -> {});
    EvalRunner.JobResult job = r.jobResults().get(0);
    return new AutoResult(job.replicas(), job.completionSeconds().orElse(Double.NaN));
  }

  /** Least-squares fit of the work and the fixed cost; prints the grid's best. */
  public static void main(String[] args) {
    double best = Double.POSITIVE_INFINITY;
    String bestText = "";
    for (double work = 280; work <= 320; work += 2) {
      for (double overhead = 25; overhead <= 50; overhead += 1) {
        double sse = 0;
        Map<Integer, Double> sim = new LinkedHashMap<>();
        for (var m : MEASURED.entrySet()) {
          double s = simulate(m.getKey(), false, work, overhead);
          sim.put(m.getKey(), s);
          sse += Math.pow((s - m.getValue()) / m.getValue(), 2);
        }
        if (sse < best) {
          best = sse;
          bestText = "work " + work + " overhead " + overhead + " -> " + sim;
        }
      }
    }
    System.out.println(bestText);
  }
}
