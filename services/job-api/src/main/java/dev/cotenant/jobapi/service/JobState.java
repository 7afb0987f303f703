package dev.cotenant.jobapi.service;

import java.time.Instant;
import java.util.List;

/**
 * What the read model knows of a job beyond its spec. Times are null until the job got there.
 *
 * @param statusAt time of the event that set the status (null for the submission itself)
 * @param reason why the job is in its status, where an event said (queue reason, failure, cancel)
 * @param pods one entry per pod, sorted by name
 */
public record JobState(
    JobStatus status,
    Instant statusAt,
    String reason,
    List<PodState> pods,
    Instant queuedAt,
    Instant placedAt,
    Instant startedAt,
    Instant finishedAt) {

  public JobState {
    pods = List.copyOf(pods);
  }

  public static JobState submitted() {
    return new JobState(JobStatus.SUBMITTED, null, null, List.of(), null, null, null, null);
  }

  JobState withQueuedAt(Instant at) {
    return new JobState(status, statusAt, reason, pods, at, placedAt, startedAt, finishedAt);
  }

  JobState withPlacedAt(Instant at) {
    return new JobState(status, statusAt, reason, pods, queuedAt, at, startedAt, finishedAt);
  }

  JobState withStartedAt(Instant at) {
    return new JobState(status, statusAt, reason, pods, queuedAt, placedAt, at, finishedAt);
  }

  JobState withFinishedAt(Instant at) {
    return new JobState(status, statusAt, reason, pods, queuedAt, placedAt, startedAt, at);
  }
}
