package dev.cotenant.placement.framework;

import dev.cotenant.placement.state.PodReservation;

/** Counts a chosen placement as taken before the gang is permitted. */
public interface Reserve extends Plugin {

  Status reserve(CycleState cycle, PodContext pod, PodReservation reservation);
}
