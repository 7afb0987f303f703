package dev.cotenant.placement.mapping;

import dev.cotenant.events.JobSpec;
import dev.cotenant.placement.kubernetes.Names;
import dev.cotenant.placement.model.PodShape;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads a Kubernetes Pod into an {@link ObservedPod}. */
public final class PodMapper {
  private PodMapper() {}

  public static String key(Pod pod) {
    return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
  }

  public static ObservedPod observe(Pod pod) {
    var meta = pod.getMetadata();
    Map<String, String> labels = NodeMapper.orEmpty(meta.getLabels());
    Map<String, String> annotations = NodeMapper.orEmpty(meta.getAnnotations());
    var spec = pod.getSpec();
    String boundTo = spec == null ? null : spec.getNodeName();
    boolean bound = boundTo != null && !boundTo.isBlank();
    Optional<String> node =
        bound
            ? Optional.of(boundTo)
            : Optional.ofNullable(annotations.get(Names.ASSIGNED_NODE)).filter(s -> !s.isBlank());
    Optional<String> jobId = Optional.ofNullable(labels.get(Names.JOB_LABEL));
    String failure = "";
    String failureMessage = "";
    ObservedPod.Phase phase = phase(pod);
    Optional<Instant> startedAt = Optional.empty();
    Optional<Instant> finishedAt = Optional.empty();
    if (pod.getStatus() != null) {
      startedAt = instant(pod.getStatus().getStartTime());
      for (ContainerStatus cs : orEmpty(pod.getStatus().getContainerStatuses())) {
        var terminated = cs.getState() == null ? null : cs.getState().getTerminated();
        if (terminated != null) {
          Optional<Instant> end = instant(terminated.getFinishedAt());
          if (end.isPresent() && (finishedAt.isEmpty() || end.get().isAfter(finishedAt.get()))) {
            finishedAt = end;
          }
        }
        // An OOM kill is the failure to report, whatever other containers exited with; the loop
        // still goes on, for the last container's finish time.
        if (terminated != null
            && terminated.getExitCode() != null
            && terminated.getExitCode() != 0
            && !failure.equals("OOMKilled")) {
          failure = terminated.getReason() == null ? "Error" : terminated.getReason();
          failureMessage =
              "container "
                  + cs.getName()
                  + " exited with "
                  + terminated.getExitCode()
                  + (terminated.getMessage() == null ? "" : ": " + terminated.getMessage());
        }
      }
      if (failure.isEmpty() && phase == ObservedPod.Phase.FAILED) {
        failure = pod.getStatus().getReason() == null ? "Failed" : pod.getStatus().getReason();
        failureMessage = pod.getStatus().getMessage() == null ? "" : pod.getStatus().getMessage();
      }
    }
    return new ObservedPod(
        key(pod),
        meta.getNamespace(),
        meta.getName(),
        meta.getUid() == null ? "" : meta.getUid(),
        node,
        bound,
        phase,
        meta.getDeletionTimestamp() != null,
        spec == null || spec.getSchedulerName() == null
            ? "default-scheduler"
            : spec.getSchedulerName(),
        jobId.isPresent(),
        jobId,
        labels.getOrDefault(Names.TENANT_LABEL, meta.getNamespace()),
        annotations.getOrDefault(Names.APP_LABEL, app(pod, labels)),
        intOf(labels.get(Names.REPLICA_LABEL), 0),
        intOf(annotations.get(Names.REPLICAS), 1),
        intOf(annotations.get(Names.ATTEMPT), 0),
        shape(pod, annotations),
        indexes(annotations.get(Names.GPU_INDEX)),
        annotations.containsKey(Names.GPU_UUID)
            ? List.of(annotations.get(Names.GPU_UUID).split(","))
            : List.of(),
        annotations.getOrDefault(Names.POLICY, ""),
        Optional.ofNullable(labels.get(Names.POD_GROUP_LABEL)).filter(s -> !s.isBlank()),
        Optional.ofNullable(annotations.get(Names.GANG_SIZE))
            .map(s -> intOf(s, 0))
            .filter(n -> n > 0),
        startedAt,
        finishedAt,
        failure,
        failureMessage);
  }

  static Optional<Instant> instant(String rfc3339) {
    if (rfc3339 == null || rfc3339.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(java.time.OffsetDateTime.parse(rfc3339).toInstant());
    } catch (java.time.format.DateTimeParseException e) {
      return Optional.empty();
    }
  }

  static ObservedPod.Phase phase(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    if (phase == null) {
      return ObservedPod.Phase.PENDING;
    }
    return switch (phase) {
      case "Pending" -> ObservedPod.Phase.PENDING;
      case "Running" -> ObservedPod.Phase.RUNNING;
      case "Succeeded" -> ObservedPod.Phase.SUCCEEDED;
      case "Failed" -> ObservedPod.Phase.FAILED;
      default -> ObservedPod.Phase.UNKNOWN;
    };
  }

  /** The profile key: our label, else the usual app labels, else the image's repository name. */
  static String app(Pod pod, Map<String, String> labels) {
    for (String label : List.of(Names.APP_LABEL, "app.kubernetes.io/name", "app")) {
      String v = labels.get(label);
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    List<Container> containers =
        pod.getSpec() == null ? List.of() : orEmpty(pod.getSpec().getContainers());
    if (!containers.isEmpty() && containers.get(0).getImage() != null) {
      return JobSpec.repositoryName(containers.get(0).getImage());
    }
    return pod.getMetadata().getName();
  }

  /**
   * What the pod requests, as kube-scheduler sums it: its containers' requests (limits where no
   * request is given), at least the largest init container's. GPUs: a share from our annotations or
   * HAMi's resources, else whole cards from {@code nvidia.com/gpu}.
   */
  public static PodShape shape(Pod pod, Map<String, String> annotations) {
    var spec = pod.getSpec();
    long cpu = 0;
    long mem = 0;
    long gpus = 0;
    long hamiCores = 0;
    long hamiMem = 0;
    if (spec != null) {
      for (Container c : orEmpty(spec.getContainers())) {
        cpu += NodeMapper.milli(request(c.getResources(), "cpu"));
        mem += NodeMapper.mib(request(c.getResources(), "memory"));
        gpus += NodeMapper.whole(request(c.getResources(), Names.GPU_RESOURCE), 0);
        hamiCores += NodeMapper.whole(request(c.getResources(), Names.HAMI_GPU_CORES), 0);
        hamiMem += NodeMapper.whole(request(c.getResources(), Names.HAMI_GPU_MEMORY), 0);
      }
      for (Container c : orEmpty(spec.getInitContainers())) {
        cpu = Math.max(cpu, NodeMapper.milli(request(c.getResources(), "cpu")));
        mem = Math.max(mem, NodeMapper.mib(request(c.getResources(), "memory")));
      }
    }
    // Annotations are free text on foreign pods: a negative value is no share (PodShape refuses
    // it).
    int milli = Math.max(0, intOf(annotations.get(Names.GPU_MILLI), 0));
    long gpuMem = Math.max(0, intOf(annotations.get(Names.GPU_MEMORY_MIB), 0));
    if (milli == 0 && gpuMem == 0 && (hamiCores > 0 || hamiMem > 0)) {
      milli = (int) Math.min(1000, hamiCores * 10);
      gpuMem = hamiMem;
    }
    if (milli > 0 || gpuMem > 0) {
      return PodShape.share(cpu, mem, Math.min(1000, milli), gpuMem);
    }
    return gpus > 0 ? PodShape.whole(cpu, mem, (int) gpus) : PodShape.cpu(cpu, mem);
  }

  private static Quantity request(ResourceRequirements r, String name) {
    if (r == null) {
      return null;
    }
    if (r.getRequests() != null && r.getRequests().containsKey(name)) {
      return r.getRequests().get(name);
    }
    return r.getLimits() == null ? null : r.getLimits().get(name);
  }

  static List<Integer> indexes(String csv) {
    List<Integer> out = new ArrayList<>();
    if (csv == null || csv.isBlank()) {
      return out;
    }
    for (String part : csv.split(",")) {
      int i = intOf(part, -1);
      if (i >= 0) {
        out.add(i);
      }
    }
    return out;
  }

  static int intOf(String s, int absent) {
    if (s == null) {
      return absent;
    }
    try {
      return Integer.parseInt(s.trim());
    } catch (NumberFormatException e) {
      return absent;
    }
  }

  private static <T> List<T> orEmpty(List<T> l) {
    return l == null ? List.of() : l;
  }
}
