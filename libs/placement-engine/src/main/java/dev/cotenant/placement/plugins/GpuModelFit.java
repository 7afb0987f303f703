package dev.cotenant.placement.plugins;

import dev.cotenant.placement.framework.CandidateView;
import dev.cotenant.placement.framework.CycleState;
import dev.cotenant.placement.framework.Filter;
import dev.cotenant.placement.framework.PodContext;
import dev.cotenant.placement.framework.Status;
import dev.cotenant.placement.state.Card;

/**
 * The job's GPU models ({@code JobRequest.gpuModels}, openb's {@code gpu_spec}), a hard constraint:
 * a GPU pod goes only on cards of a model it accepts. Per node, not per card class: cards of other
 * models can look alike (same memory, same tenants). CPU-only pods and jobs accepting any model
 * skip it.
 */
public final class GpuModelFit implements Filter {

  public static final String GPU_MODEL_MISMATCH = "GpuModelMismatch";

  @Override
  public String name() {
    return PluginNames.GPU_MODEL_FIT;
  }

  @Override
  public Scope scope() {
    return Scope.NODE;
  }

  @Override
  public Status filter(CycleState cycle, PodContext pod, CandidateView candidate) {
    if (pod.job().gpuModels().isEmpty() || pod.shape().isCpuOnly()) {
      return Status.SKIP;
    }
    if (candidate.card().isPresent()) {
      return check(pod, candidate.card().get());
    }
    for (Card c : candidate.wholeCards()) {
      Status s = check(pod, c);
      if (!s.passes()) {
        return s;
      }
    }
    return Status.SUCCESS;
  }

  private static Status check(PodContext pod, Card card) {
    String model = card.node().info().gpus().get(0).model();
    for (var gpu : card.node().info().gpus()) {
      if (gpu.index() == card.index()) {
        model = gpu.model();
      }
    }
    return pod.job().acceptsGpuModel(model)
        ? Status.SUCCESS
        : Status.unresolvable(
            GPU_MODEL_MISMATCH,
            "the card is a " + model + "; the job accepts " + pod.job().gpuModels());
  }
}
