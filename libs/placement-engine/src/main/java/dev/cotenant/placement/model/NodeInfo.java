package dev.cotenant.placement.model;

import java.util.HashSet;
import java.util.List;

/**
 * A node as the engine sees it: its allocatable CPU and memory and its GPU cards.
 *
 * @param name the Kubernetes node name, unique in a cluster
 * @param cpuMilli allocatable CPU in millicores
 * @param memoryMiB allocatable memory
 * @param gpus the node's cards, with distinct indexes
 * @param maxPods how many pods the node may run at once (the kubelet's allocatable {@code pods})
 */
public record NodeInfo(
    String name, long cpuMilli, long memoryMiB, List<GpuInfo> gpus, int maxPods) {

  /** A node with no limit on its number of pods. */
  public NodeInfo(String name, long cpuMilli, long memoryMiB, List<GpuInfo> gpus) {
    this(name, cpuMilli, memoryMiB, gpus, Integer.MAX_VALUE);
  }

  public NodeInfo {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("node name must not be blank");
    }
    if (cpuMilli < 0) {
      throw new IllegalArgumentException("node cpuMilli must be >= 0, got " + cpuMilli);
    }
    if (memoryMiB < 0) {
      throw new IllegalArgumentException("node memoryMiB must be >= 0, got " + memoryMiB);
    }
    if (maxPods < 0) {
      throw new IllegalArgumentException("node maxPods must be >= 0, got " + maxPods);
    }
    gpus = List.copyOf(gpus);
    var indexes = new HashSet<Integer>();
    for (GpuInfo gpu : gpus) {
      if (!indexes.add(gpu.index())) {
        throw new IllegalArgumentException(
            "node " + name + " gpus: index " + gpu.index() + " is listed twice");
      }
    }
  }

  /** A node without GPUs. */
  public static NodeInfo cpuOnly(String name, long cpuMilli, long memoryMiB) {
    return new NodeInfo(name, cpuMilli, memoryMiB, List.of());
  }
}
