package dev.cotenant.placement.plugins;

import dev.cotenant.placement.framework.Predictions;
import dev.cotenant.placement.framework.QueueSort;
import dev.cotenant.placement.framework.SortContext;
import dev.cotenant.placement.model.JobRequest;

/**
 * Loadbalance's order (seed 001): the busiest apps first, so they land on separate cards before the
 * light ones fill the gaps. Profiled utilisation when known, else the compute share in percent.
 */
public final class HighestUtilFirst implements QueueSort {

  @Override
  public String name() {
    return PluginNames.HIGHEST_UTIL_FIRST;
  }

  @Override
  public int compare(JobRequest a, JobRequest b, SortContext context) {
    return Double.compare(util(b, context), util(a, context));
  }

  static double util(JobRequest job, SortContext context) {
    if (job.shape().isWhole()) {
      return 100.0 * job.shape().wholeGpus();
    }
    if (job.shape().isCpuOnly()) {
      return 0;
    }
    return Profiles.utilPercent(new Predictions(context.model()), job.app(), job.shape());
  }
}
