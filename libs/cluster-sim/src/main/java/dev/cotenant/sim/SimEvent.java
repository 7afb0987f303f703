package dev.cotenant.sim;

/** What happened to a pod in the simulated cluster, at a virtual time in seconds. */
public sealed interface SimEvent permits SimEvent.Started, SimEvent.Finished {

  SimPod pod();

  double time();

  /** The pod's containers are running (its start latency is over). */
  record Started(SimPod pod, double time) implements SimEvent {}

  /**
   * The pod ended; {@code startedAt} is when it began running. {@code gpuCoTenantShares}: for each
   * app that shared one of its GPUs, the share of its run time it did so (summed over that app's
   * pods); for a pod OOM-killed at start, 1 for each app on its cards then. What a monitor reports,
   * and what the interference estimator learns from.
   */
  record Finished(
      SimPod pod,
      double time,
      Outcome outcome,
      double startedAt,
      java.util.Map<String, Double> gpuCoTenantShares)
      implements SimEvent {
    public Finished {
      gpuCoTenantShares = java.util.Map.copyOf(gpuCoTenantShares);
    }

    public double runSeconds() {
      return time - startedAt;
    }
  }

  enum Outcome {
    SUCCEEDED,
    /** It could not get its GPU memory: an incompatible co-tenant or an over-committed card. */
    OOM_KILLED,
    /**
     * It was checkpointed and stopped to restart elsewhere ({@link ClusterSimulator#migrate}); the
     * event covers the run so far, and its pod's {@code soloSeconds} the work it did in that run.
     */
    MIGRATED,
    /**
     * It was taken out while running ({@link ClusterSimulator#remove}): its pod was deleted or its
     * node died. The event covers the run until then.
     */
    STOPPED
  }
}
