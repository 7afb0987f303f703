package dev.cotenant.monitor.mapping;

import dev.cotenant.events.PodKeys;
import dev.cotenant.monitor.lifecycle.NodeInfo;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads a Kubernetes Node into a {@link NodeInfo}. */
public final class NodeMapper {
  /** Where the local stack (and a device plugin that wanted to) lists a node's GPU UUIDs. */
  public static final String GPU_UUIDS = PodKeys.NODE_GPU_UUIDS;

  public static final String GPU_PRODUCT_LABEL = "nvidia.com/gpu.product";
  public static final String GPU_MEMORY_LABEL = "nvidia.com/gpu.memory";

  private NodeMapper() {}

  public static NodeInfo toInfo(Node node) {
    Map<String, String> labels = orEmpty(node.getMetadata().getLabels());
    Map<String, String> annotations = orEmpty(node.getMetadata().getAnnotations());
    String uuids = annotations.get(GPU_UUIDS);
    long memory;
    try {
      memory = Long.parseLong(labels.getOrDefault(GPU_MEMORY_LABEL, "0").trim());
    } catch (NumberFormatException e) {
      memory = 0;
    }
    return new NodeInfo(
        node.getMetadata().getName(),
        ready(node),
        uuids == null || uuids.isBlank() ? List.of() : List.of(uuids.split(",")),
        Optional.ofNullable(labels.get(GPU_PRODUCT_LABEL)).filter(s -> !s.isBlank()),
        memory);
  }

  /** Ready unless its Ready condition says False or Unknown; a node reporting none is trusted. */
  static boolean ready(Node node) {
    if (node.getStatus() == null || node.getStatus().getConditions() == null) {
      return true;
    }
    for (NodeCondition c : node.getStatus().getConditions()) {
      if ("Ready".equals(c.getType())) {
        return "True".equals(c.getStatus());
      }
    }
    return true;
  }

  private static Map<String, String> orEmpty(Map<String, String> m) {
    return m == null ? Map.of() : m;
  }
}
