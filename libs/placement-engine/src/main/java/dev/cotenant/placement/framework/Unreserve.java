package dev.cotenant.placement.framework;

/** Undoes a reservation; must be idempotent (a gang rollback may ask twice). */
public interface Unreserve extends Plugin {

  void unreserve(CycleState cycle, PodContext pod, String podName);
}
