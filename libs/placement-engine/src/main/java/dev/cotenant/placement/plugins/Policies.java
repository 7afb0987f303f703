package dev.cotenant.placement.plugins;

import dev.cotenant.placement.framework.Filter;
import dev.cotenant.placement.framework.Permit;
import dev.cotenant.placement.framework.PluginRegistry;
import dev.cotenant.placement.framework.Policy;
import dev.cotenant.placement.framework.Policy.WeightedScore;
import dev.cotenant.placement.framework.QueueSort;
import dev.cotenant.placement.framework.Reserve;
import dev.cotenant.placement.framework.Score;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The built-in policies, assembled from the registry by name. */
public final class Policies {

  private Policies() {}

  /** Every built-in plugin, registered once. */
  public static PluginRegistry defaultRegistry() {
    return new PluginRegistry()
        .register(new FifoSort())
        .register(new LargestGpuMemoryFirst())
        .register(new HighestUtilFirst())
        .register(new NodeResourcesFit())
        .register(new GpuFit())
        .register(new GpuModelFit())
        .register(new ProfiledMemoryFit())
        .register(new InterferenceCompatible())
        .register(new LeastFreeGpuMemory())
        .register(new MostFreeResources())
        .register(new LowestUtilSum())
        .register(new SameAppTogether())
        .register(new InterferenceCost())
        .register(new FragmentationDelta())
        .register(new ReserveResources())
        .register(new GangPermit());
  }

  /** The five named policies, by name. */
  public static Map<String, Policy> builtIn(PluginRegistry r) {
    Map<String, Policy> all = new LinkedHashMap<>();
    add(
        all,
        r,
        PluginNames.BINPACK,
        PluginNames.LARGEST_GPU_MEMORY_FIRST,
        fits(PluginNames.PROFILED_MEMORY_FIT),
        PluginNames.LEAST_FREE_GPU_MEMORY);
    add(all, r, PluginNames.SPREAD, PluginNames.FIFO_SORT, fits(), PluginNames.MOST_FREE_RESOURCES);
    add(
        all,
        r,
        PluginNames.LOADBALANCE,
        PluginNames.HIGHEST_UTIL_FIRST,
        fits(),
        PluginNames.LOWEST_UTIL_SUM);
    add(
        all,
        r,
        PluginNames.STANDALONE,
        PluginNames.FIFO_SORT,
        fits(),
        PluginNames.SAME_APP_TOGETHER);
    add(
        all,
        r,
        PluginNames.INTERFERENCE_AWARE,
        PluginNames.FIFO_SORT,
        fits(PluginNames.INTERFERENCE_COMPATIBLE),
        List.of(
            new WeightedScore(r.get(PluginNames.INTERFERENCE_COST, Score.class), 1.0),
            new WeightedScore(
                r.get(PluginNames.FRAGMENTATION_DELTA, Score.class), FRAGMENTATION_WEIGHT)));
    return all;
  }

  /**
   * The fragmentation score's weight beside interference cost (weight 1) in {@code
   * interference-aware}: the order is lexicographic. Both are normalised to 0–100 across a pod's
   * candidates, so at 1e-6 fragmentation moves a total by at most 1e-4 points: it decides among the
   * candidates whose interference cost is the same (all of them when nothing is known of
   * interference, as on openb; the empty cards of different nodes; cards of the same tenants) and
   * never against any difference in predicted slowdown. Seconds of slowdown and milli-GPU stranded
   * have no common unit the engine could trust, so there is no rate of exchange.
   *
   * <p>Chosen on gavel-p100 seeds 1–10 only (--durations work --knowledge learned --noise 0.05):
   * against interference alone, 0.01 (fragmentation may overturn interference differences below 1%
   * of the candidates' spread, e.g. share a card at a small predicted cost rather than take an
   * empty one on a less full node) changed mean JCT by +0.16% on average (sd 1.63; −1.3 to +2.7%
   * per seed), 1e-6 by +0.02% (sd 0.95; −1.2 to +2.0%).
   */
  public static final double FRAGMENTATION_WEIGHT = 1e-6;

  /** The filters every policy applies (resources, cards, card model), then its own. */
  private static List<String> fits(String... own) {
    List<String> filters =
        new java.util.ArrayList<>(
            List.of(
                PluginNames.NODE_RESOURCES_FIT, PluginNames.GPU_FIT, PluginNames.GPU_MODEL_FIT));
    filters.addAll(List.of(own));
    return filters;
  }

  private static void add(
      Map<String, Policy> all,
      PluginRegistry r,
      String name,
      String sort,
      List<String> filters,
      String score) {
    add(all, r, name, sort, filters, List.of(new WeightedScore(r.get(score, Score.class), 1.0)));
  }

  private static void add(
      Map<String, Policy> all,
      PluginRegistry r,
      String name,
      String sort,
      List<String> filters,
      List<WeightedScore> scores) {
    all.put(
        name,
        new Policy(
            name,
            r.get(sort, QueueSort.class),
            filters.stream().map(f -> r.get(f, Filter.class)).toList(),
            scores,
            List.of(r.get(PluginNames.RESERVE_RESOURCES, Reserve.class)),
            List.of(r.get(PluginNames.GANG_PERMIT, Permit.class))));
  }
}
