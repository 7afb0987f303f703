package dev.cotenant.monitor.mapping;

import dev.cotenant.events.GpuRef;
import dev.cotenant.events.PodKeys;
import dev.cotenant.monitor.lifecycle.PodRun;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Reads a Kubernetes Pod as the kubelet reports it into a {@link PodRun}. The labels and
 * annotations are those placement writes (see placement's {@code Names}); a pod without the job
 * label is a foreign pod, reported under its namespace.
 */
public final class PodMapper {
  public static final String JOB_LABEL = PodKeys.JOB_LABEL;
  public static final String TENANT_LABEL = PodKeys.TENANT_LABEL;
  public static final String APP = PodKeys.APP;
  public static final String GPU_INDEX = PodKeys.GPU_INDEX;
  public static final String GPU_UUID = PodKeys.GPU_UUID;

  /** HAMi's device-plugin annotation: the card(s) a pod must get, for pods only HAMi pins. */
  public static final String HAMI_GPU_UUID = PodKeys.HAMI_GPU_UUID;

  private PodMapper() {}

  /** DaemonSet pods (kube-proxy, the exporters themselves) are the node's, not workloads. */
  public static boolean isDaemon(Pod pod) {
    List<OwnerReference> owners = pod.getMetadata().getOwnerReferences();
    return owners != null && owners.stream().anyMatch(o -> "DaemonSet".equals(o.getKind()));
  }

  public static PodRun toRun(Pod pod) {
    var meta = pod.getMetadata();
    Map<String, String> labels = orEmpty(meta.getLabels());
    Map<String, String> annotations = orEmpty(meta.getAnnotations());
    String namespace = meta.getNamespace() == null ? "" : meta.getNamespace();
    String name = meta.getName();
    String job = labels.get(JOB_LABEL);
    boolean ours = job != null && !job.isBlank();
    String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
    PodStatus status = pod.getStatus();
    return new PodRun(
        meta.getUid() == null ? namespace + "/" + name : meta.getUid(),
        namespace,
        name,
        ours ? labels.getOrDefault(TENANT_LABEL, namespace) : namespace,
        ours ? job : namespace + "/" + name,
        app(pod, labels, annotations),
        node == null ? "" : node,
        gpus(annotations),
        status == null ? Optional.empty() : started(status),
        status == null ? Optional.empty() : end(status),
        annotations.getOrDefault(PodKeys.TRACEPARENT, ""));
  }

  /** The annotation, else the usual app labels, else the image's repository name, as placement. */
  static String app(Pod pod, Map<String, String> labels, Map<String, String> annotations) {
    String annotated = annotations.get(APP);
    if (annotated != null && !annotated.isBlank()) {
      return annotated;
    }
    for (String label : List.of(APP, "app.kubernetes.io/name", "app")) {
      String v = labels.get(label);
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    List<Container> containers =
        pod.getSpec() == null || pod.getSpec().getContainers() == null
            ? List.of()
            : pod.getSpec().getContainers();
    if (!containers.isEmpty() && containers.get(0).getImage() != null) {
      return repositoryName(containers.get(0).getImage());
    }
    return pod.getMetadata().getName();
  }

  /** {@code ghcr.io/acme/resnet50:1.2@sha256:…} → {@code resnet50}. */
  static String repositoryName(String image) {
    String ref = image;
    int at = ref.indexOf('@');
    if (at >= 0) {
      ref = ref.substring(0, at);
    }
    int slash = ref.lastIndexOf('/');
    int colon = ref.lastIndexOf(':');
    if (colon > slash) {
      ref = ref.substring(0, colon);
    }
    return ref.substring(slash + 1);
  }

  /** Index and UUID lists zipped by position; a list shorter than the other leaves a gap. */
  static List<GpuRef> gpus(Map<String, String> annotations) {
    List<String> indexes = split(annotations.get(GPU_INDEX));
    String uuidList = annotations.get(GPU_UUID);
    if (uuidList == null || uuidList.isBlank()) {
      uuidList = annotations.get(HAMI_GPU_UUID);
    }
    List<String> uuids = split(uuidList);
    List<GpuRef> out = new ArrayList<>();
    for (int i = 0; i < Math.max(indexes.size(), uuids.size()); i++) {
      int index = i < indexes.size() ? intOf(indexes.get(i)) : -1;
      String uuid = i < uuids.size() ? uuids.get(i) : "";
      if (index >= 0 || !uuid.isEmpty()) {
        out.add(new GpuRef(index, uuid));
      }
    }
    return out;
  }

  /**
   * When its containers began to run: the earliest start any container reports, including a
   * previous run of a restarted one. A pod Running or Succeeded whose kubelet lists no container
   * state started at its {@code startTime}.
   */
  static Optional<Instant> started(PodStatus status) {
    Instant earliest = null;
    for (ContainerStatus cs : orEmpty(status.getContainerStatuses())) {
      for (ContainerState state : new ContainerState[] {cs.getState(), cs.getLastState()}) {
        if (state == null) {
          continue;
        }
        Optional<Instant> t = Optional.empty();
        if (state.getRunning() != null) {
          t = instant(state.getRunning().getStartedAt());
        } else if (state.getTerminated() != null) {
          t = instant(state.getTerminated().getStartedAt());
        }
        if (t.isPresent() && (earliest == null || t.get().isBefore(earliest))) {
          earliest = t.get();
        }
      }
    }
    if (earliest == null
        && ("Running".equals(status.getPhase()) || "Succeeded".equals(status.getPhase()))) {
      return instant(status.getStartTime());
    }
    return Optional.ofNullable(earliest);
  }

  /** A terminal phase, with what explains it; empty while the pod is not done. */
  static Optional<PodRun.End> end(PodStatus status) {
    boolean succeeded = "Succeeded".equals(status.getPhase());
    if (!succeeded && !"Failed".equals(status.getPhase())) {
      return Optional.empty();
    }
    Instant finishedAt = null;
    boolean oom = false;
    OptionalInt exit = OptionalInt.empty();
    for (ContainerStatus cs : orEmpty(status.getContainerStatuses())) {
      ContainerStateTerminated terminated =
          cs.getState() == null ? null : cs.getState().getTerminated();
      if (terminated == null) {
        continue;
      }
      Optional<Instant> t = instant(terminated.getFinishedAt());
      if (t.isPresent() && (finishedAt == null || t.get().isAfter(finishedAt))) {
        finishedAt = t.get();
      }
      int code = terminated.getExitCode() == null ? 0 : terminated.getExitCode();
      boolean killed = "OOMKilled".equals(terminated.getReason());
      // The OOM kill explains the end whatever else exited; else the first failing container.
      if (killed && !oom) {
        oom = true;
        exit = OptionalInt.of(code);
      } else if (!oom && (exit.isEmpty() || (exit.getAsInt() == 0 && code != 0))) {
        exit = OptionalInt.of(code);
      }
    }
    boolean disrupted = false;
    Instant lastReady = null;
    for (PodCondition c : orEmpty(status.getConditions())) {
      if ("DisruptionTarget".equals(c.getType()) && "True".equals(c.getStatus())) {
        disrupted = true;
      }
      if ("Ready".equals(c.getType()) && !"True".equals(c.getStatus())) {
        lastReady = instant(c.getLastTransitionTime()).orElse(null);
      }
    }
    return Optional.of(
        new PodRun.End(
            succeeded,
            Optional.ofNullable(finishedAt != null ? finishedAt : lastReady),
            exit,
            oom,
            status.getReason() == null ? "" : status.getReason(),
            disrupted));
  }

  static Optional<Instant> instant(String rfc3339) {
    if (rfc3339 == null || rfc3339.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(OffsetDateTime.parse(rfc3339).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static List<String> split(String csv) {
    List<String> out = new ArrayList<>();
    if (csv == null || csv.isBlank()) {
      return out;
    }
    for (String part : csv.split(",", -1)) {
      out.add(part.trim());
    }
    return out;
  }

  private static int intOf(String s) {
    try {
      return Integer.parseInt(s.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static <K, V> Map<K, V> orEmpty(Map<K, V> m) {
    return m == null ? Map.of() : m;
  }

  private static <T> List<T> orEmpty(List<T> l) {
    return l == null ? List.of() : l;
  }
}
