package dev.cotenant.localstack.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads what a kubelet needs from a pod object ({@link BoundPod}). */
final class PodReader {
  static final String GPU = "nvidia.com/gpu";
  static final String HAMI_MEMORY = "nvidia.com/gpumem";
  static final String HAMI_CORES = "nvidia.com/gpucores";

  private PodReader() {}

  /** The pod's node, if it is bound. */
  static Optional<String> node(Pod pod) {
    String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
    return node == null || node.isEmpty() ? Optional.empty() : Optional.of(node);
  }

  /** Its uid, or its key for a pod stored without one. */
  static String uid(Pod pod) {
    String uid = pod.getMetadata().getUid();
    return uid == null || uid.isEmpty()
        ? pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName()
        : uid;
  }

  static BoundPod read(Pod pod, String node) {
    var meta = pod.getMetadata();
    List<Container> containers =
        pod.getSpec().getContainers() == null ? List.of() : pod.getSpec().getContainers();
    long cpu = 0;
    long gpus = 0;
    long hamiMemory = 0;
    long hamiCores = 0;
    for (Container c : containers) {
      cpu += amount(c.getResources(), "cpu").multiply(BigDecimal.valueOf(1000)).longValue();
      gpus += amount(c.getResources(), GPU).longValue();
      hamiMemory += amount(c.getResources(), HAMI_MEMORY).longValue();
      hamiCores += amount(c.getResources(), HAMI_CORES).longValue();
    }
    return BoundPod.of(
        uid(pod),
        meta.getNamespace(),
        meta.getName(),
        node,
        meta.getLabels() == null ? Map.of() : meta.getLabels(),
        meta.getAnnotations() == null ? Map.of() : meta.getAnnotations(),
        containers.isEmpty() ? "" : containers.get(0).getImage(),
        containers.stream().map(Container::getName).toList(),
        pod.getSpec().getRestartPolicy(),
        cpu,
        gpus,
        hamiMemory,
        hamiCores,
        scheduledAt(pod));
  }

  /** Whether the pod already ended (its status says so): a kubelet leaves such pods alone. */
  static boolean ended(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  /** Being deleted (a grace period): as good as gone for the kubelet, which stops it now. */
  static boolean deleting(Pod pod) {
    return pod.getMetadata().getDeletionTimestamp() != null;
  }

  private static Optional<Instant> scheduledAt(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    for (PodCondition c : pod.getStatus().getConditions()) {
      if ("PodScheduled".equals(c.getType()) && c.getLastTransitionTime() != null) {
        try {
          return Optional.of(Instant.parse(c.getLastTransitionTime()));
        } catch (DateTimeParseException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  /** Its request, else its limit (extended resources are often only limits), else 0. */
  private static BigDecimal amount(ResourceRequirements r, String name) {
    if (r == null) {
      return BigDecimal.ZERO;
    }
    Quantity q = r.getRequests() == null ? null : r.getRequests().get(name);
    if (q == null && r.getLimits() != null) {
      q = r.getLimits().get(name);
    }
    try {
      return q == null ? BigDecimal.ZERO : Quantity.getAmountInBytes(q);
    } catch (IllegalArgumentException e) {
      return BigDecimal.ZERO;
    }
  }
}
