package dev.cotenant.fragmentation.policy;

import dev.cotenant.fragmentation.FillPolicy;
import dev.cotenant.fragmentation.GpuNode;
import dev.cotenant.fragmentation.PodRequest;

/**
 * FGD's BestFit baseline: the node whose CPU and total milli-GPU left after the pod, each as a
 * share of the largest node spec and weighted half and half, is smallest; the raw scores are
 * min-max normalised to 0-100 across the candidates, in integers, as its score extension does.
 */
public final class BestFit implements FillPolicy {

  public static final String NAME = "best-fit";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public long score(PodRequest pod, GpuNode node) {
    double cpu = (node.cpuLeft() - pod.cpuMilli()) / MaxSpec.CPU_MILLI * 0.5;
    double gpu = (node.totalMilliLeft() - pod.totalGpuMilli()) / MaxSpec.GPU_MILLI * 0.5;
    return (long) ((1.0 - (cpu + gpu)) * 100);
  }

  @Override
  public void normalize(long[] scores, int count) {
    long highest = Long.MIN_VALUE;
    long lowest = Long.MAX_VALUE;
    for (int i = 0; i < count; i++) {
      highest = Math.max(highest, scores[i]);
      lowest = Math.min(lowest, scores[i]);
    }
    long range = highest - lowest;
    for (int i = 0; i < count; i++) {
      scores[i] = range == 0 ? 0 : (scores[i] - lowest) * 100 / range;
    }
  }
}
