package dev.cotenant.placement.plugins;

import dev.cotenant.placement.framework.CycleState;
import dev.cotenant.placement.framework.PodContext;
import dev.cotenant.placement.framework.Reserve;
import dev.cotenant.placement.framework.Status;
import dev.cotenant.placement.framework.Unreserve;
import dev.cotenant.placement.state.PodReservation;

/** Counts the pod's CPU, memory and cards as taken in the cluster state; undoes it on rollback. */
public final class ReserveResources implements Reserve, Unreserve {

  public static final String RESERVE_FAILED = "ReserveFailed";

  @Override
  public String name() {
    return PluginNames.RESERVE_RESOURCES;
  }

  @Override
  public Status reserve(CycleState cycle, PodContext pod, PodReservation reservation) {
    try {
      pod.state().reserve(reservation);
      return Status.SUCCESS;
    } catch (IllegalStateException e) {
      // A filter let through something the state refuses: report, never over-allocate.
      return Status.error(RESERVE_FAILED, e.getMessage());
    }
  }

  @Override
  public void unreserve(CycleState cycle, PodContext pod, String podName) {
    // release() is a no-op for an unknown pod: unreserve is idempotent.
    pod.state().release(podName);
  }
}
