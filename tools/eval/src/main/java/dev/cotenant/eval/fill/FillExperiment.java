package dev.cotenant.eval.fill;

import dev.cotenant.fragmentation.FillCurve;
import dev.cotenant.fragmentation.FillRun;
import dev.cotenant.fragmentation.NodeCapacity;
import dev.cotenant.fragmentation.PodRequest;
import dev.cotenant.fragmentation.TargetWorkload;
import dev.cotenant.fragmentation.policy.Baselines;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleConsumer;
import java.util.function.ToDoubleFunction;

/**
 * FGD's experiment: each policy fills the same cluster with the same arrivals, seed by seed, and
 * the unallocated share of GPU capacity is read at fixed shares of arrived demand.
 */
public final class FillExperiment {

  /** Every policy the fill run knows: the baselines, then the engine's (through the engine). */
  public static List<String> policyNames() {
    List<String> names = new ArrayList<>(Baselines.names());
    for (String p : EngineFill.policies()) {
      if (!names.contains(p)) {
        names.add(p);
      }
    }
    return names;
  }

  /** The arrived percents the table and {@code fill.json} report. */
  public static final List<Integer> READ_AT = List.of(90, 95, 100, 110, 120);

  /**
   * @param target what FGD measures fragmentation against: by default the shapes covering 95% of
   *     the trace's pods
   */
  public record Setup(
      List<NodeCapacity> nodes,
      List<PodRequest> trace,
      TargetWorkload target,
      List<String> policies,
      List<Long> seeds,
      double inflate,
      FillRun.Ties ties) {

    public Setup {
      nodes = List.copyOf(nodes);
      trace = List.copyOf(trace);
      policies = List.copyOf(policies);
      seeds = List.copyOf(seeds);
    }

    public static Setup of(
        List<NodeCapacity> nodes,
        List<PodRequest> trace,
        List<String> policies,
        List<Long> seeds,
        double inflate,
        FillRun.Ties ties) {
      TargetWorkload target = TargetWorkload.covering(trace, TargetWorkload.DEFAULT_COVERAGE);
      return new Setup(nodes, trace, target, policies, seeds, inflate, ties);
    }
  }

  /** One policy's curves, one per seed in seed order. */
  public record PolicyResult(String policy, List<FillCurve> curves) {

    public PolicyResult {
      curves = List.copyOf(curves);
    }

    /** Mean over seeds of the unallocated percent at {@code percent}% arrived. */
    public double meanUnallocated(int percent) {
      return stats(percent)[0];
    }

    /** Sample standard deviation over seeds (0 for one seed). */
    public double sdUnallocated(int percent) {
      return stats(percent)[1];
    }

    /** Mean over seeds of the allocated percent at each arrived percent from 0. */
    public double[] meanAllocatedPercent() {
      int max = curves.stream().mapToInt(FillCurve::maxPercent).min().orElse(0);
      double[] mean = new double[max + 1];
      for (int p = 0; p <= max; p++) {
        int percent = p;
        double[] values = finite(c -> c.allocatedAt(percent));
        mean[p] = values.length == 0 ? Double.NaN : 100 * Arrays.stream(values).average().orElse(0);
      }
      return mean;
    }

    /**
     * Pods decided per second of placing time, over the seeds after the first when there are
     * several: the first pays for the JIT compiling the policy.
     */
    public double podsPerSecond() {
      List<FillCurve> warm = curves.size() > 1 ? curves.subList(1, curves.size()) : curves;
      long pods = warm.stream().mapToLong(FillCurve::pods).sum();
      long nanos = warm.stream().mapToLong(FillCurve::placingNanos).sum();
      return nanos == 0 ? Double.NaN : pods / (nanos / 1e9);
    }

    /** Mean pods that arrived per seed. */
    public double meanPods() {
      return curves.stream().mapToInt(FillCurve::pods).average().orElse(0);
    }

    private double[] stats(int percent) {
      double[] values = finite(c -> c.unallocatedPercentAt(percent));
      int n = values.length;
      if (n == 0) {
        return new double[] {Double.NaN, Double.NaN};
      }
      double mean = Arrays.stream(values).average().orElse(0);
      double squares = Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum();
      return new double[] {mean, n < 2 ? 0 : Math.sqrt(squares / (n - 1))};
    }

    /** One value per seed, leaving out seeds that have none (NaN). */
    private double[] finite(ToDoubleFunction<FillCurve> value) {
      return curves.stream().mapToDouble(value).filter(v -> !Double.isNaN(v)).toArray();
    }
  }

  private FillExperiment() {}

  /**
   * Runs every policy on every seed.
   *
   * @param progress told the share of all runs done
   * @throws IllegalArgumentException for an unknown policy name; a name that is not a fill baseline
   *     ({@link Baselines}) runs through the placement engine ({@link EngineFill})
   */
  public static List<PolicyResult> run(Setup setup, DoubleConsumer progress) {
    Map<String, List<FillCurve>> curves = new LinkedHashMap<>();
    setup.policies().forEach(p -> curves.put(p, new ArrayList<>()));
    long capacity = FillRun.capacityMilli(setup.nodes());
    int runs = setup.policies().size() * setup.seeds().size();
    int done = 0;
    for (long seed : setup.seeds()) {
      List<PodRequest> arrivals = FillRun.arrivals(setup.trace(), capacity, setup.inflate(), seed);
      for (String policy : setup.policies()) {
        int before = done++;
        DoubleConsumer runProgress = f -> progress.accept((before + f) / runs);
        FillCurve curve =
            Baselines.names().contains(policy)
                ? FillRun.run(
                    setup.nodes(),
                    arrivals,
                    Baselines.create(policy, setup.target()),
                    seed,
                    setup.ties(),
                    runProgress)
                : FillRun.run(
                    capacity, arrivals, new EngineFill(setup.nodes(), policy), runProgress);
        curves.get(policy).add(curve);
      }
    }
    List<PolicyResult> results = new ArrayList<>();
    curves.forEach((policy, list) -> results.add(new PolicyResult(policy, list)));
    return results;
  }
}
