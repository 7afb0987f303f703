package dev.cotenant.sim;

/** What happened to a pod in the simulated cluster, at a virtual time in seconds. */
public sealed interface SimEvent permits SimEvent.Started, SimEvent.Finished {

  SimPod pod();

  double time();

  /** The pod's containers are running (its start latency is over). */
  record Started(SimPod pod, double time) implements SimEvent {}

  /** The pod ended; {@code startedAt} is when it began running. */
  record Finished(SimPod pod, double time, Outcome outcome, double startedAt) implements SimEvent {
    public double runSeconds() {
      return time - startedAt;
    }
  }

  enum Outcome {
    SUCCEEDED,
    /** It could not get its GPU memory: an incompatible co-tenant or an over-committed card. */
    OOM_KILLED
  }
}
