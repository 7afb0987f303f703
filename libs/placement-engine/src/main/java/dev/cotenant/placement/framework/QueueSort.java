package dev.cotenant.placement.framework;

import dev.cotenant.placement.model.JobRequest;

/**
 * Orders pending jobs of equal priority. As in kube-scheduler there is one queue, so the queue uses
 * the default policy's sort; ties fall back to FIFO by sequence.
 */
public interface QueueSort extends Plugin {

  /** Negative when {@code a} should go before {@code b}. */
  int compare(JobRequest a, JobRequest b, SortContext context);
}
