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
        .register(new ProfiledMemoryFit())
        .register(new InterferenceCompatible())
        .register(new LeastFreeGpuMemory())
        .register(new MostFreeResources())
        .register(new LowestUtilSum())
        .register(new SameAppTogether())
        .register(new InterferenceCost())
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
        List.of(
            PluginNames.NODE_RESOURCES_FIT, PluginNames.GPU_FIT, PluginNames.PROFILED_MEMORY_FIT),
        PluginNames.LEAST_FREE_GPU_MEMORY);
    add(
        all,
        r,
        PluginNames.SPREAD,
        PluginNames.FIFO_SORT,
        List.of(PluginNames.NODE_RESOURCES_FIT, PluginNames.GPU_FIT),
        PluginNames.MOST_FREE_RESOURCES);
    add(
        all,
        r,
        PluginNames.LOADBALANCE,
        PluginNames.HIGHEST_UTIL_FIRST,
        List.of(PluginNames.NODE_RESOURCES_FIT, PluginNames.GPU_FIT),
        PluginNames.LOWEST_UTIL_SUM);
    add(
        all,
        r,
        PluginNames.STANDALONE,
        PluginNames.FIFO_SORT,
        List.of(PluginNames.NODE_RESOURCES_FIT, PluginNames.GPU_FIT),
        PluginNames.SAME_APP_TOGETHER);
    add(
        all,
        r,
        PluginNames.INTERFERENCE_AWARE,
        PluginNames.FIFO_SORT,
        List.of(
            PluginNames.NODE_RESOURCES_FIT,
            PluginNames.GPU_FIT,
            PluginNames.INTERFERENCE_COMPATIBLE),
        PluginNames.INTERFERENCE_COST);
    return all;
  }

  private static void add(
      Map<String, Policy> all,
      PluginRegistry r,
      String name,
      String sort,
      List<String> filters,
      String score) {
    all.put(
        name,
        new Policy(
            name,
            r.get(sort, QueueSort.class),
            filters.stream().map(f -> r.get(f, Filter.class)).toList(),
            List.of(new WeightedScore(r.get(score, Score.class), 1.0)),
            List.of(r.get(PluginNames.RESERVE_RESOURCES, Reserve.class)),
            List.of(r.get(PluginNames.GANG_PERMIT, Permit.class))));
  }
}
