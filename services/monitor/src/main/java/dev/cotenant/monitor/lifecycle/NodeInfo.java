package dev.cotenant.monitor.lifecycle;

import java.util.List;
import java.util.Optional;

/**
 * A node as the monitor needs it.
 *
 * @param ready its {@code Ready} condition is {@code True} (or it reports none)
 * @param gpuUuids its cards' UUIDs by index, from the {@code cotenant.dev/gpu-uuids} annotation
 * @param gpuModel the {@code nvidia.com/gpu.product} label, if any
 * @param gpuMemoryMiB the {@code nvidia.com/gpu.memory} label, 0 when absent
 */
public record NodeInfo(
    String name,
    boolean ready,
    List<String> gpuUuids,
    Optional<String> gpuModel,
    long gpuMemoryMiB) {
  public NodeInfo {
    gpuUuids = List.copyOf(gpuUuids);
  }
}
