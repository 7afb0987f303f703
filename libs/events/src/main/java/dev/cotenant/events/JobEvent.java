package dev.cotenant.events;

/** An event about one job: keyed by job id, so a job's events stay in order on one partition. */
public sealed interface JobEvent extends CotenantEvent
    permits JobSubmitted,
        JobQueued,
        JobPlaced,
        PodBound,
        PodStarted,
        PodFinished,
        JobSucceeded,
        JobFailed,
        JobCancelRequested,
        JobCancelled,
        JobUnschedulable {

  String tenant();

  String jobId();

  @Override
  default String key() {
    return jobId();
  }
}
