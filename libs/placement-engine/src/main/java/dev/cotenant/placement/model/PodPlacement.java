package dev.cotenant.placement.model;

import java.util.List;

/**
 * Where one pod of a job goes.
 *
 * @param podName {@code jobId-<replica>}
 * @param node the node to bind to
 * @param gpus the cards (empty for a CPU-only pod)
 * @param predictedSeconds predicted run time with its co-tenants at placement time
 */
public record PodPlacement(
    String podName, String node, List<GpuSlot> gpus, double predictedSeconds) {

  public PodPlacement {
    gpus = List.copyOf(gpus);
  }
}
