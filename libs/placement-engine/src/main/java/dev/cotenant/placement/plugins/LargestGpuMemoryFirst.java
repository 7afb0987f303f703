package dev.cotenant.placement.plugins;

import dev.cotenant.placement.framework.Predictions;
import dev.cotenant.placement.framework.QueueSort;
import dev.cotenant.placement.framework.SortContext;
import dev.cotenant.placement.model.JobRequest;

/**
 * Binpack's order (seed 001): the largest GPU memory first, so big items find room before small
 * ones fragment the cards. Profiled memory when known (requests are often padded); whole GPUs count
 * as the largest card's memory each.
 */
public final class LargestGpuMemoryFirst implements QueueSort {

  @Override
  public String name() {
    return PluginNames.LARGEST_GPU_MEMORY_FIRST;
  }

  @Override
  public int compare(JobRequest a, JobRequest b, SortContext context) {
    return Double.compare(memory(b, context), memory(a, context));
  }

  static double memory(JobRequest job, SortContext context) {
    if (job.shape().isWhole()) {
      return (double) job.shape().wholeGpus() * context.largestCardMemoryMiB();
    }
    if (job.shape().isCpuOnly()) {
      return 0;
    }
    return Profiles.memoryMiB(new Predictions(context.model()), job.app(), job.shape());
  }
}
