package dev.cotenant.jobapi.service;

import dev.cotenant.events.GpuRef;
import java.util.List;

/**
 * Where one pod of a job runs and how far it got. The phase only moves forward, like the job's
 * status.
 *
 * @param replica the replica index, or -1 while only the pod's own events (not JobPlaced) are known
 * @param outcome how the pod ended (a {@code PodFinished.Outcome}), null until it did
 * @param exitCode its main container's exit code, null if unknown
 */
public record PodState(
    String pod,
    int replica,
    String node,
    List<GpuRef> gpus,
    Phase phase,
    String outcome,
    Integer exitCode) {

  public PodState {
    gpus = List.copyOf(gpus);
  }

  /** A pod's progress, in order. */
  public enum Phase {
    PLACED,
    BOUND,
    RUNNING,
    FINISHED
  }
}
