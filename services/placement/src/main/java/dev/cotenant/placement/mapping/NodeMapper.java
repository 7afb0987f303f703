package dev.cotenant.placement.mapping;

import dev.cotenant.placement.kubernetes.Names;
import dev.cotenant.placement.model.GpuInfo;
import dev.cotenant.placement.model.NodeInfo;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Kubernetes Node as the engine sees it: allocatable CPU, memory and pods, and its GPUs from the
 * device plugin's {@code nvidia.com/gpu} and GPU feature discovery's labels. A node the scheduler
 * must not use (cordoned, tainted NoSchedule or NoExecute, not Ready) maps to nothing.
 */
public final class NodeMapper {
  private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);
  private static final BigDecimal MIB = BigDecimal.valueOf(1024L * 1024L);

  private NodeMapper() {}

  /** The node's schedulable view, or why it has none. */
  public static Result map(Node node) {
    String name = node.getMetadata().getName();
    if (Boolean.TRUE.equals(node.getSpec() == null ? null : node.getSpec().getUnschedulable())) {
      return Result.excluded(name, "cordoned");
    }
    if (node.getSpec() != null && node.getSpec().getTaints() != null) {
      for (Taint taint : node.getSpec().getTaints()) {
        if ("NoSchedule".equals(taint.getEffect()) || "NoExecute".equals(taint.getEffect())) {
          return Result.excluded(name, "tainted " + taint.getKey() + ":" + taint.getEffect());
        }
      }
    }
    if (!ready(node)) {
      return Result.excluded(name, "not Ready");
    }
    Map<String, Quantity> allocatable =
        node.getStatus() == null ? null : node.getStatus().getAllocatable();
    if (allocatable == null || allocatable.isEmpty()) {
      allocatable = node.getStatus() == null ? Map.of() : node.getStatus().getCapacity();
    }
    long cpuMilli = milli(allocatable.get("cpu"));
    long memoryMiB = mib(allocatable.get("memory"));
    long pods = whole(allocatable.get("pods"), Integer.MAX_VALUE);
    int gpus = (int) whole(allocatable.get(Names.GPU_RESOURCE), 0);
    Map<String, String> labels = orEmpty(node.getMetadata().getLabels());
    Map<String, String> annotations = orEmpty(node.getMetadata().getAnnotations());
    String model = labels.getOrDefault(Names.GPU_PRODUCT_LABEL, "");
    long gpuMemory = parseLong(labels.get(Names.GPU_MEMORY_LABEL)).orElse(0L);
    List<String> uuids =
        annotations.containsKey(Names.NODE_GPU_UUIDS)
            ? List.of(annotations.get(Names.NODE_GPU_UUIDS).split(","))
            : List.of();
    if (gpus > 0 && gpuMemory <= 0) {
      // A card's memory is the hard limit of GPU shares: without it only whole cards are safe.
      return Result.excluded(
          name, "nvidia.com/gpu without the " + Names.GPU_MEMORY_LABEL + " label");
    }
    List<GpuInfo> cards = new ArrayList<>(gpus);
    for (int i = 0; i < gpus; i++) {
      // Without the UUID annotation (a cluster we did not build) the index is the only handle.
      String uuid =
          i < uuids.size() && !uuids.get(i).isBlank() ? uuids.get(i).trim() : name + "/" + i;
      cards.add(new GpuInfo(i, uuid, model, gpuMemory));
    }
    return new Result(
        name,
        Optional.of(
            new NodeInfo(
                name, cpuMilli, memoryMiB, cards, (int) Math.min(pods, Integer.MAX_VALUE))),
        "");
  }

  static boolean ready(Node node) {
    if (node.getStatus() == null || node.getStatus().getConditions() == null) {
      return false;
    }
    for (NodeCondition c : node.getStatus().getConditions()) {
      if ("Ready".equals(c.getType())) {
        return "True".equals(c.getStatus());
      }
    }
    return false;
  }

  /** CPU in millicores ({@code 2}, {@code 1500m}); 0 when absent. */
  public static long milli(Quantity q) {
    return q == null ? 0 : q.getNumericalAmount().multiply(THOUSAND).longValue();
  }

  /** Memory in MiB ({@code 4Gi}, {@code 512Mi}, bytes); 0 when absent. */
  public static long mib(Quantity q) {
    return q == null
        ? 0
        : q.getNumericalAmount().divide(MIB, java.math.RoundingMode.FLOOR).longValue();
  }

  /** A count ({@code pods}, {@code nvidia.com/gpu}). */
  public static long whole(Quantity q, long absent) {
    return q == null ? absent : q.getNumericalAmount().longValue();
  }

  static Optional<Long> parseLong(String s) {
    if (s == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Long.parseLong(s.trim()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  static Map<String, String> orEmpty(Map<String, String> m) {
    return m == null ? Map.of() : m;
  }

  /**
   * @param info the node's schedulable view, empty when excluded
   * @param excludedBecause why it is excluded (empty when it is not)
   */
  public record Result(String name, Optional<NodeInfo> info, String excludedBecause) {
    static Result excluded(String name, String why) {
      return new Result(name, Optional.empty(), why);
    }
  }
}
