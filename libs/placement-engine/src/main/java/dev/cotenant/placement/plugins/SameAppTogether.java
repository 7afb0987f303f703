package dev.cotenant.placement.plugins;

import dev.cotenant.placement.framework.CandidateView;
import dev.cotenant.placement.framework.CycleState;
import dev.cotenant.placement.framework.PodContext;
import dev.cotenant.placement.framework.Score;

/**
 * Standalone (seed 001): an app shares only with itself. 100 for a card whose tenants are all the
 * pod's app, 50 for an empty card, 0 for a card with another app.
 */
public final class SameAppTogether implements Score {

  @Override
  public String name() {
    return PluginNames.SAME_APP_TOGETHER;
  }

  /** Only the tenant apps matter. */
  @Override
  public boolean dependsOnCapacity() {
    return false;
  }

  @Override
  public double score(CycleState cycle, PodContext pod, CandidateView candidate) {
    if (candidate.card().isEmpty()) {
      return 0;
    }
    var apps = candidate.card().get().tenantApps();
    if (apps.isEmpty()) {
      return 50;
    }
    for (String app : apps) {
      if (!app.equals(pod.app())) {
        return 0;
      }
    }
    return 100;
  }
}
