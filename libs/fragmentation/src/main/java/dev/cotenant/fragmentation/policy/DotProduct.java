package dev.cotenant.fragmentation.policy;

import dev.cotenant.fragmentation.FillPolicy;
import dev.cotenant.fragmentation.GpuNode;
import dev.cotenant.fragmentation.PodRequest;

/**
 * FGD's DotProd baseline (Tetris' alignment, as FGD configures it: CPU and total milli-GPU merged
 * into two dimensions, normalised by the largest node spec): the score is 100 × (1 − the mean
 * product of the node's free and the pod's requested resources), so the node whose free resources
 * align least with the request wins. The share goes to the best-fitting card.
 */
public final class DotProduct implements FillPolicy {

  public static final String NAME = "dot-product";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public long score(PodRequest pod, GpuNode node) {
    double cpu = (node.cpuLeft() / MaxSpec.CPU_MILLI) * (pod.cpuMilli() / MaxSpec.CPU_MILLI);
    double gpu =
        (node.totalMilliLeft() / MaxSpec.GPU_MILLI) * (pod.totalGpuMilli() / MaxSpec.GPU_MILLI);
    return (long) (100 * (1 - (cpu + gpu) / 2));
  }
}
