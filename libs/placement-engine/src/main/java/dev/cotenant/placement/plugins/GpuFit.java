package dev.cotenant.placement.plugins;

import dev.cotenant.placement.framework.CandidateView;
import dev.cotenant.placement.framework.CycleState;
import dev.cotenant.placement.framework.Filter;
import dev.cotenant.placement.framework.PodContext;
import dev.cotenant.placement.framework.Status;

/**
 * The GPU request fits: enough empty cards for whole GPUs; for a share, a card not held whole with
 * the compute share and the GPU memory free (both hard limits: over-committed memory is an OOM).
 */
public final class GpuFit implements Filter {

  public static final String INSUFFICIENT_GPU = "InsufficientGpu";
  public static final String INSUFFICIENT_GPU_COMPUTE = "InsufficientGpuCompute";
  public static final String INSUFFICIENT_GPU_MEMORY = "InsufficientGpuMemory";

  @Override
  public String name() {
    return PluginNames.GPU_FIT;
  }

  @Override
  public Status filter(CycleState cycle, PodContext pod, CandidateView candidate) {
    var shape = pod.shape();
    if (shape.isWhole()) {
      return candidate.node().freeWholeGpus() >= shape.wholeGpus()
          ? Status.SUCCESS
          : Status.unschedulable(
              INSUFFICIENT_GPU,
              "wholeGpus " + shape.wholeGpus() + " exceeds the node's free cards");
    }
    if (!shape.isShare()) {
      return Status.SKIP;
    }
    var card = candidate.card().orElseThrow();
    if (card.exclusive()) {
      return Status.unschedulable(INSUFFICIENT_GPU, "the card is held whole by another pod");
    }
    if (shape.gpuMilli() > card.freeMilli()) {
      return Status.unschedulable(
          INSUFFICIENT_GPU_COMPUTE,
          "gpuMilli " + shape.gpuMilli() + " exceeds the card's free " + card.freeMilli());
    }
    if (shape.gpuMemoryMiB() > card.freeMemoryMiB()) {
      return Status.unschedulable(
          INSUFFICIENT_GPU_MEMORY,
          "gpuMemoryMiB "
              + shape.gpuMemoryMiB()
              + " exceeds the card's free "
              + card.freeMemoryMiB());
    }
    return Status.SUCCESS;
  }
}
