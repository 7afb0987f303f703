package dev.cotenant.localstack.kubelet;

import dev.cotenant.localstack.kubelet.PodState.Container;
import dev.cotenant.localstack.kubelet.PodState.ContainerKind;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HostIP;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A {@link PodState} as the pod's {@code status}, the fields a kubelet (or KWOK) sets. Times carry
 * milliseconds, where a real kubelet writes whole seconds: at 100× a second is 100 simulated
 * seconds, and run times must survive. RFC 3339 allows the fraction, and Go's and fabric8's parsers
 * read it.
 */
final class PodStatuses {
  private PodStatuses() {}

  /**
   * The JSON Patch a kubelet sends to {@code pods/{name}/status}: the pod must still be the one
   * admitted (its uid), and its status becomes this one.
   */
  static String statusPatch(PodState state, KubernetesClient client) {
    String status = client.getKubernetesSerialization().asJson(status(state));
    String uid = state.pod().uid();
    String test =
        uid.contains("/")
            ? ""
            : "{\"op\":\"test\",\"path\":\"/metadata/uid\",\"value\":\"" + uid + "\"},";
    return "[" + test + "{\"op\":\"add\",\"path\":\"/status\",\"value\":" + status + "}]";
  }

  static PodStatus status(PodState state) {
    BoundPod pod = state.pod();
    Instant scheduled = pod.scheduledAt().orElse(state.startTime());
    List<PodCondition> conditions = new ArrayList<>();
    conditions.add(condition("PodScheduled", true, scheduled, "", ""));
    PodStatusBuilder status =
        new PodStatusBuilder()
            .withPhase(state.phase().name())
            .withHostIP(state.hostIp())
            .withHostIPs(new HostIP(state.hostIp()))
            .withStartTime(time(state.startTime()));
    if (!state.reason().isEmpty()) {
      status.withReason(state.reason()).withMessage(state.message());
    }
    if (!state.podIp().isEmpty()) {
      status.withPodIP(state.podIp()).withPodIPs(new PodIP(state.podIp()));
    }
    if (state.container().exists()) {
      boolean ready = state.ready();
      String why = state.phase().terminal() ? "PodCompleted" : ready ? "" : "ContainersNotReady";
      String message =
          why.equals("ContainersNotReady")
              ? "containers with unready status: [" + String.join(" ", pod.containers()) + "]"
              : "";
      conditions.add(condition("Initialized", true, state.startTime(), "", ""));
      conditions.add(condition("ContainersReady", ready, state.readyChangedAt(), why, message));
      conditions.add(condition("Ready", ready, state.readyChangedAt(), why, message));
      List<ContainerStatus> containers = new ArrayList<>();
      for (String name : pod.containers()) {
        containers.add(containerStatus(state, name));
      }
      status.withContainerStatuses(containers);
      status.withQosClass(pod.cpuMilli() > 0 ? "Burstable" : "BestEffort");
    }
    return status.withConditions(conditions).build();
  }

  private static ContainerStatus containerStatus(PodState state, String name) {
    BoundPod pod = state.pod();
    Container c = state.container();
    boolean created = c.kind() != ContainerKind.WAITING || c.restartCount() > 0;
    ContainerStatusBuilder status =
        new ContainerStatusBuilder()
            .withName(name)
            .withImage(pod.image())
            .withImageID(created ? imageId(pod.image()) : "")
            .withReady(state.ready())
            .withStarted(c.kind() == ContainerKind.RUNNING)
            .withRestartCount(c.restartCount())
            .withState(containerState(c, containerId(pod, name, c.restartCount())));
    if (created) {
      status.withContainerID(containerId(pod, name, c.restartCount()));
    }
    state
        .lastTerminated()
        .ifPresent(last -> status.withLastState(containerState(last, containerId(pod, name, 0))));
    return status.build();
  }

  private static ContainerState containerState(Container c, String containerId) {
    return switch (c.kind()) {
      case WAITING ->
          new ContainerStateBuilder()
              .withNewWaiting()
              .withReason(c.reason())
              .withMessage(c.message().isEmpty() ? null : c.message())
              .endWaiting()
              .build();
      case RUNNING ->
          new ContainerStateBuilder()
              .withNewRunning()
              .withStartedAt(time(c.startedAt().orElseThrow()))
              .endRunning()
              .build();
      case TERMINATED ->
          new ContainerStateBuilder()
              .withNewTerminated()
              .withExitCode(c.exitCode())
              .withReason(c.reason())
              .withMessage(c.message().isEmpty() ? null : c.message())
              .withStartedAt(c.startedAt().map(PodStatuses::time).orElse(null))
              .withFinishedAt(time(c.finishedAt().orElseThrow()))
              .withContainerID(c.startedAt().isPresent() ? containerId : null)
              .endTerminated()
              .build();
    };
  }

  private static PodCondition condition(
      String type, boolean status, Instant since, String reason, String message) {
    return new PodConditionBuilder()
        .withType(type)
        .withStatus(status ? "True" : "False")
        .withLastTransitionTime(time(since))
        .withReason(reason.isEmpty() ? null : reason)
        .withMessage(message.isEmpty() ? null : message)
        .build();
  }

  /** RFC 3339 in UTC with milliseconds. */
  static String time(Instant instant) {
    return instant.truncatedTo(ChronoUnit.MILLIS).toString();
  }

  /** Stable per pod, container and restart, in containerd's spelling. */
  private static String containerId(BoundPod pod, String container, int restart) {
    String seed = pod.uid() + "/" + container + "/" + restart;
    return "containerd://"
        + UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString().replace("-", "")
        + UUID.nameUUIDFromBytes((seed + "#").getBytes(StandardCharsets.UTF_8))
            .toString()
            .replace("-", "");
  }

  private static String imageId(String image) {
    String digest =
        UUID.nameUUIDFromBytes(image.getBytes(StandardCharsets.UTF_8)).toString().replace("-", "");
    return image.replaceAll("[:@].*$", "") + "@sha256:" + digest + digest;
  }
}
