package dev.cotenant.fragmentation.policy;

import dev.cotenant.fragmentation.FillPolicy;
import dev.cotenant.fragmentation.GpuNode;
import dev.cotenant.fragmentation.PodRequest;

/**
 * FGD's GpuClustering baseline: pods of one GPU kind (a share, or N whole cards) together. Best a
 * node holding only pods of the pod's kind (75-100), then one holding its kind among others
 * (50-75), then an empty node (25-50), then one of other kinds only (0-25); within a tier, less
 * milli-GPU left is better. CPU-only pods score 0 everywhere.
 */
public final class GpuClustering implements FillPolicy {

  public static final String NAME = "gpu-clustering";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public long score(PodRequest pod, GpuNode node) {
    if (pod.isCpuOnly()) {
      return 0;
    }
    long packed =
        100 / 4 * (MaxSpec.GPU_MILLI_LONG - node.totalMilliLeft()) / MaxSpec.GPU_MILLI_LONG;
    boolean sameKind = node.podsOfKind(GpuNode.kindOf(pod)) > 0;
    if (sameKind) {
      return packed + (node.kinds() == 1 ? 75 : 50);
    }
    return packed + (node.kinds() == 0 ? 25 : 0);
  }
}
