package dev.cotenant.placement.plugins;

/** Every plugin and policy name, in one place, so tests, policies and explanations agree. */
public final class PluginNames {

  private PluginNames() {}

  // Queue sort
  public static final String FIFO_SORT = "FifoSort";
  public static final String LARGEST_GPU_MEMORY_FIRST = "LargestGpuMemoryFirst";
  public static final String HIGHEST_UTIL_FIRST = "HighestUtilFirst";

  // Filter
  public static final String NODE_RESOURCES_FIT = "NodeResourcesFit";
  public static final String GPU_FIT = "GpuFit";
  public static final String GPU_MODEL_FIT = "GpuModelFit";
  public static final String PROFILED_MEMORY_FIT = "ProfiledMemoryFit";
  public static final String INTERFERENCE_COMPATIBLE = "InterferenceCompatible";

  // Score
  public static final String LEAST_FREE_GPU_MEMORY = "LeastFreeGpuMemory";
  public static final String MOST_FREE_RESOURCES = "MostFreeResources";
  public static final String LOWEST_UTIL_SUM = "LowestUtilSum";
  public static final String SAME_APP_TOGETHER = "SameAppTogether";
  public static final String INTERFERENCE_COST = "InterferenceCost";
  public static final String FRAGMENTATION_DELTA = "FragmentationDelta";

  // Reserve / Permit
  public static final String RESERVE_RESOURCES = "ReserveResources";
  public static final String GANG_PERMIT = "GangPermit";

  // Policies
  public static final String BINPACK = "binpack";
  public static final String SPREAD = "spread";
  public static final String LOADBALANCE = "loadbalance";
  public static final String STANDALONE = "standalone";
  public static final String INTERFERENCE_AWARE = "interference-aware";
}
