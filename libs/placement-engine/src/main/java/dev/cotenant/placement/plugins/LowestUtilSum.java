package dev.cotenant.placement.plugins;

import dev.cotenant.placement.framework.CandidateView;
import dev.cotenant.placement.framework.CycleState;
import dev.cotenant.placement.framework.PodContext;
import dev.cotenant.placement.framework.Score;

/**
 * Loadbalance (seed 001): the card whose tenants' profiled utilisation adds up to the least. No
 * opinion on whole-GPU and CPU-only pods (all candidates score alike; order decides).
 */
public final class LowestUtilSum implements Score {

  @Override
  public String name() {
    return PluginNames.LOWEST_UTIL_SUM;
  }

  @Override
  public double score(CycleState cycle, PodContext pod, CandidateView candidate) {
    return candidate.card().map(c -> -Profiles.tenantUtilPercent(pod.predictions(), c)).orElse(0.0);
  }
}
