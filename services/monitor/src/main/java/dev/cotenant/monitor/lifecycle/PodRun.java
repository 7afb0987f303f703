package dev.cotenant.monitor.lifecycle;

import dev.cotenant.events.GpuRef;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A pod as its lifecycle needs it: who it belongs to, where it runs and what its kubelet reports.
 * Times are the kubelet's own, never when the monitor saw them, so that a monitor started later
 * computes the same run from the same pod.
 *
 * @param uid the pod's uid: a pod recreated under the same name is another run
 * @param tenant the job's tenant, or the namespace of a foreign pod
 * @param jobId the job id label, or {@code namespace/name} for a foreign pod
 * @param app the profile key of what it runs
 * @param node the node it is bound to, or empty while unbound
 * @param gpus its cards as its annotations name them; an index of -1 or an empty UUID is unknown
 *     and filled in from the node where it can be
 * @param startedAt since when its containers run, once they do
 * @param end how it ended, once its phase is terminal
 * @param traceparent the W3C trace context placement annotated it with, or empty
 */
public record PodRun(
    String uid,
    String namespace,
    String name,
    String tenant,
    String jobId,
    String app,
    String node,
    List<GpuRef> gpus,
    Optional<Instant> startedAt,
    Optional<End> end,
    String traceparent) {

  public PodRun {
    gpus = List.copyOf(gpus);
    traceparent = traceparent == null ? "" : traceparent;
  }

  public boolean bound() {
    return !node.isEmpty();
  }

  /** The namespace and name, as Kubernetes keys a pod. */
  public String key() {
    return namespace + "/" + name;
  }

  public PodRun withEnd(End end) {
    return new PodRun(
        uid,
        namespace,
        name,
        tenant,
        jobId,
        app,
        node,
        gpus,
        startedAt,
        Optional.of(end),
        traceparent);
  }

  /**
   * A terminal phase as the kubelet reports it.
   *
   * @param succeeded phase Succeeded (else Failed)
   * @param finishedAt the last container's finish, else when the pod was last seen ready; empty
   *     when the pod says nothing (the monitor's clock stands in)
   * @param exitCode the exit code that explains the end (the OOM-killed or first failing
   *     container's, else 0 for a success); empty when no container terminated
   * @param oomKilled a container was killed for exceeding its memory
   * @param reason the pod's status reason (e.g. {@code Evicted}, {@code NodeLost}) or empty
   * @param disrupted the pod has a {@code DisruptionTarget} condition: it was evicted, preempted or
   *     garbage-collected off a lost node
   */
  public record End(
      boolean succeeded,
      Optional<Instant> finishedAt,
      OptionalInt exitCode,
      boolean oomKilled,
      String reason,
      boolean disrupted) {}
}
