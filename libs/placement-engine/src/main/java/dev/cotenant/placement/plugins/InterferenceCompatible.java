package dev.cotenant.placement.plugins;

import dev.cotenant.placement.framework.CandidateView;
import dev.cotenant.placement.framework.CycleState;
import dev.cotenant.placement.framework.Filter;
import dev.cotenant.placement.framework.PodContext;
import dev.cotenant.placement.framework.Status;

/** Never puts a pod on a card with an app it cannot share with (either direction fails). */
public final class InterferenceCompatible implements Filter {

  public static final String INCOMPATIBLE = "Incompatible";

  @Override
  public String name() {
    return PluginNames.INTERFERENCE_COMPATIBLE;
  }

  @Override
  public Status filter(CycleState cycle, PodContext pod, CandidateView candidate) {
    if (candidate.card().isEmpty()) {
      return Status.SKIP;
    }
    var p = pod.predictions();
    for (String other : candidate.card().get().tenantApps()) {
      if (p.predict(pod.app(), other).isIncompatible()
          || p.predict(other, pod.app()).isIncompatible()) {
        return Status.unschedulable(
            INCOMPATIBLE, "app " + pod.app() + " cannot share a gpu with " + other);
      }
    }
    return Status.SUCCESS;
  }
}
