package dev.cotenant.placement.plugins;

import dev.cotenant.placement.framework.QueueSort;
import dev.cotenant.placement.framework.SortContext;
import dev.cotenant.placement.model.JobRequest;

/** First come, first served: submission sequence. */
public final class FifoSort implements QueueSort {

  @Override
  public String name() {
    return PluginNames.FIFO_SORT;
  }

  @Override
  public int compare(JobRequest a, JobRequest b, SortContext context) {
    return Long.compare(a.sequence(), b.sequence());
  }
}
