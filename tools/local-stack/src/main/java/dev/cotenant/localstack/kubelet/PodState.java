package dev.cotenant.localstack.kubelet;

import java.time.Instant;
import java.util.Optional;

/**
 * The status a kubelet reports for a pod, in Kubernetes' terms; the writer turns it into the pod's
 * {@code status} as a kubelet and KWOK set it.
 *
 * @param phase Kubernetes' pod phase
 * @param reason a pod-level reason ({@code NodeLost}, {@code OutOfnvidia.com/gpu}), empty if none
 * @param message its human text, empty if none
 * @param hostIp the node's address
 * @param podIp the pod's address, empty before its sandbox exists (never here: it gets one at once)
 * @param startTime when the kubelet admitted it ({@code status.startTime}; Initialized since then)
 * @param readyChangedAt when Ready and ContainersReady last changed
 * @param container its (every) container's state now
 * @param lastTerminated the run before a restart, for a restarting service
 * @param atNanos the wall clock ({@code System.nanoTime}) at which this state became true, to tell
 *     how far the writer lags
 */
public record PodState(
    BoundPod pod,
    Phase phase,
    String reason,
    String message,
    String hostIp,
    String podIp,
    Instant startTime,
    Instant readyChangedAt,
    Container container,
    Optional<Container> lastTerminated,
    long atNanos) {

  /** Spelled as Kubernetes spells them. */
  public enum Phase {
    Pending,
    Running,
    Succeeded,
    Failed;

    public boolean terminal() {
      return this == Succeeded || this == Failed;
    }
  }

  public enum ContainerKind {
    WAITING,
    RUNNING,
    TERMINATED
  }

  /**
   * One container's state.
   *
   * @param reason {@code ContainerCreating} or {@code CrashLoopBackOff} while waiting; {@code
   *     Completed}, {@code Error}, {@code OOMKilled} or {@code ContainerStatusUnknown} once
   *     terminated
   * @param startedAt when it began running, for running and terminated containers that ran
   * @param finishedAt when it ended, for terminated ones
   */
  public record Container(
      ContainerKind kind,
      String reason,
      String message,
      Optional<Instant> startedAt,
      Optional<Instant> finishedAt,
      int exitCode,
      int restartCount) {

    /** No container status yet: the kubelet refused the pod before creating any. */
    static Container none() {
      return new Container(ContainerKind.WAITING, "", "", Optional.empty(), Optional.empty(), 0, 0);
    }

    public boolean exists() {
      return !(kind == ContainerKind.WAITING && reason.isEmpty());
    }

    static Container creating() {
      return new Container(
          ContainerKind.WAITING, "ContainerCreating", "", Optional.empty(), Optional.empty(), 0, 0);
    }

    static Container running(Instant startedAt, int restarts) {
      return new Container(
          ContainerKind.RUNNING, "", "", Optional.of(startedAt), Optional.empty(), 0, restarts);
    }

    static Container terminated(
        String reason, String message, int exitCode, Instant startedAt, Instant finishedAt) {
      return new Container(
          ContainerKind.TERMINATED,
          reason,
          message,
          Optional.of(startedAt),
          Optional.of(finishedAt),
          exitCode,
          0);
    }
  }

  /** Running with its containers ready. */
  public boolean ready() {
    return phase == Phase.Running && container.kind() == ContainerKind.RUNNING;
  }
}
