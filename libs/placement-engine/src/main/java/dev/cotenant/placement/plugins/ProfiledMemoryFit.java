package dev.cotenant.placement.plugins;

import dev.cotenant.placement.framework.CandidateView;
import dev.cotenant.placement.framework.CycleState;
import dev.cotenant.placement.framework.Filter;
import dev.cotenant.placement.framework.PodContext;
import dev.cotenant.placement.framework.Status;

/**
 * Binpack's memory check (seed 001): the memory the tenants really use (profiles) plus this pod's
 * must fit the card, since requests understate it and an over-full card fails with OOM.
 */
public final class ProfiledMemoryFit implements Filter {

  public static final String PROFILED_MEMORY_EXCEEDED = "ProfiledMemoryExceeded";

  @Override
  public String name() {
    return PluginNames.PROFILED_MEMORY_FIT;
  }

  @Override
  public Status filter(CycleState cycle, PodContext pod, CandidateView candidate) {
    if (candidate.card().isEmpty()) {
      return Status.SKIP;
    }
    var card = candidate.card().get();
    var p = pod.predictions();
    double total =
        Profiles.tenantMemoryMiB(p, card) + Profiles.memoryMiB(p, pod.app(), pod.shape());
    if (total > card.memoryMiB()) {
      return Status.unschedulable(
          PROFILED_MEMORY_EXCEEDED,
          "profiled gpu memory "
              + Math.round(total)
              + " MiB with the card's tenants exceeds its "
              + card.memoryMiB()
              + " MiB");
    }
    return Status.SUCCESS;
  }
}
