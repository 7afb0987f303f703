package dev.cotenant.placement.mapping;

import dev.cotenant.placement.model.PodShape;
import java.util.List;
import java.util.Optional;

/**
 * What placement needs to know of one pod in the cluster, whoever created it.
 *
 * @param key {@code namespace/name}, unique in the cluster
 * @param node the node it is bound to, else the node placement assigned it (not yet bound), else
 *     empty
 * @param bound whether {@code spec.nodeName} is set
 * @param ours created by placement for a job from Kafka (it has the job label)
 * @param jobId the job it belongs to (ours), else empty
 * @param replica the replica index (ours), else 0
 * @param replicas the gang size (ours), else 1
 * @param attempt which attempt of its replica it is (0 first; more after an OOM kill)
 * @param shape what it requests
 * @param gpuIndexes the cards it is pinned to, when the pod says
 * @param gpuUuids their UUIDs, in the same order
 * @param policy the policy that placed it (ours), else empty
 * @param podGroup the coscheduling PodGroup it belongs to (foreign gangs)
 * @param gangSize the group's minimum from {@code cotenant.dev/gang-size}
 * @param startedAt when the kubelet started it ({@code status.startTime})
 * @param finishedAt when its last container ended
 * @param failure why it failed ({@code OOMKilled}, {@code Error}, {@code Evicted}…), empty
 *     otherwise
 */
public record ObservedPod(
    String key,
    String namespace,
    String name,
    String uid,
    Optional<String> node,
    boolean bound,
    Phase phase,
    boolean deleting,
    String schedulerName,
    boolean ours,
    Optional<String> jobId,
    String tenant,
    String app,
    int replica,
    int replicas,
    int attempt,
    PodShape shape,
    List<Integer> gpuIndexes,
    List<String> gpuUuids,
    String policy,
    Optional<String> podGroup,
    Optional<Integer> gangSize,
    Optional<java.time.Instant> startedAt,
    Optional<java.time.Instant> finishedAt,
    String failure,
    String failureMessage) {

  public ObservedPod {
    gpuIndexes = List.copyOf(gpuIndexes);
    gpuUuids = List.copyOf(gpuUuids);
  }

  public enum Phase {
    PENDING,
    RUNNING,
    SUCCEEDED,
    FAILED,
    UNKNOWN;

    public boolean terminal() {
      return this == SUCCEEDED || this == FAILED;
    }
  }

  /** Holds capacity: not finished and placed somewhere (bound, or assigned by us). */
  public boolean holdsCapacity() {
    return !phase.terminal() && node.isPresent();
  }

  public boolean oomKilled() {
    return "OOMKilled".equals(failure);
  }

  /** A pod waiting for this scheduler. */
  public boolean pendingForUs(String schedulerName) {
    return !bound && !deleting && !phase.terminal() && schedulerName.equals(this.schedulerName);
  }
}
