package dev.cotenant.placement.plugins;

import dev.cotenant.placement.framework.CandidateView;
import dev.cotenant.placement.framework.CycleState;
import dev.cotenant.placement.framework.PodContext;
import dev.cotenant.placement.framework.Score;

/**
 * Binpack (seed 001): the fullest card that still fits, measured in profiled memory, keeping whole
 * cards free for later. Whole-GPU and CPU-only pods go to the node with the fewest free cards, then
 * the least free CPU.
 */
public final class LeastFreeGpuMemory implements Score {

  @Override
  public String name() {
    return PluginNames.LEAST_FREE_GPU_MEMORY;
  }

  @Override
  public double score(CycleState cycle, PodContext pod, CandidateView candidate) {
    if (candidate.card().isPresent()) {
      var card = candidate.card().get();
      return -(card.memoryMiB() - Profiles.tenantMemoryMiB(pod.predictions(), card));
    }
    var node = candidate.node();
    double cpuFree =
        node.info().cpuMilli() == 0 ? 0 : (double) node.freeCpuMilli() / node.info().cpuMilli();
    return -(node.freeWholeGpus() + cpuFree);
  }
}
