package dev.cotenant.placement.rest;

import java.util.List;

/** {@code GET /api/v1/cluster}: every node as placement sees it, its cards and their pods. */
public record ClusterView(String role, int pendingJobs, List<NodeView> nodes) {

  /**
   * @param schedulable whether placement may use it
   * @param excludedBecause why not (cordoned, tainted, not Ready), else null
   * @param otherPods pods of other tenants on it (their names are not shown to a tenant)
   */
  public record NodeView(
      String name,
      boolean schedulable,
      String excludedBecause,
      long cpuMilli,
      long freeCpuMilli,
      long memoryMiB,
      long freeMemoryMiB,
      Integer maxPods,
      int pods,
      List<PodView> cpuPods,
      List<GpuView> gpus,
      int otherPods) {}

  public record GpuView(
      int index,
      String uuid,
      String model,
      long memoryMiB,
      int usedMilli,
      long usedMemoryMiB,
      boolean exclusive,
      List<PodView> pods) {}

  /**
   * @param predictedEndSeconds when the engine expects it to end, in seconds from now
   */
  public record PodView(
      String pod, String job, String tenant, String app, double predictedEndSeconds) {}
}
