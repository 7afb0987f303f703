package dev.cotenant.placement.plugins;

import dev.cotenant.placement.framework.CandidateView;
import dev.cotenant.placement.framework.CycleState;
import dev.cotenant.placement.framework.Filter;
import dev.cotenant.placement.framework.PodContext;
import dev.cotenant.placement.framework.Status;
import dev.cotenant.placement.state.AppIds;

/** Never puts a pod on a card with an app it cannot share with (either direction fails). */
public final class InterferenceCompatible implements Filter {

  public static final String INCOMPATIBLE = "Incompatible";

  @Override
  public String name() {
    return PluginNames.INTERFERENCE_COMPATIBLE;
  }

  /** Only the tenant apps matter. */
  @Override
  public boolean dependsOnCapacity() {
    return false;
  }

  @Override
  public Status filter(CycleState cycle, PodContext pod, CandidateView candidate) {
    if (candidate.card().isEmpty()) {
      return Status.SKIP;
    }
    var p = pod.predictions();
    int app = AppIds.of(pod.app());
    for (int other : candidate.card().get().tenantAppIds()) {
      if (p.predict(app, other).isIncompatible() || p.predict(other, app).isIncompatible()) {
        return Status.unschedulable(
            INCOMPATIBLE, "app " + pod.app() + " cannot share a gpu with " + AppIds.name(other));
      }
    }
    return Status.SUCCESS;
  }
}
