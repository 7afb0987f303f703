package dev.cotenant.jobapi.service;

import java.time.Instant;
import java.util.List;

/**
 * What the read model knows of a job beyond its spec. Times are null until the job got there.
 *
 * @param statusAt time of the event that set the status (null for the submission itself)
 * @param reason why the job is in its status, where an event said (queue reason, failure, cancel)
 * @param pods one entry per pod, sorted by name
 * @param endpoints in-cluster {@code host:port} addresses of the job's Service, from a {@code
 *     JobPlaced}; empty until one names them
 * @param endpointsAt time of the {@code JobPlaced} the endpoints came from (null while none)
 */
public record JobState(
    JobStatus status,
    Instant statusAt,
    String reason,
    List<PodState> pods,
    Instant queuedAt,
    Instant placedAt,
    Instant startedAt,
    Instant finishedAt,
    List<String> endpoints,
    Instant endpointsAt) {

  public JobState {
    pods = List.copyOf(pods);
    endpoints = List.copyOf(endpoints);
  }

  public static JobState submitted() {
    return new JobState(
        JobStatus.SUBMITTED, null, null, List.of(), null, null, null, null, List.of(), null);
  }

  JobState withStatus(JobStatus to, Instant at, String why) {
    return new JobState(
        to, at, why, pods, queuedAt, placedAt, startedAt, finishedAt, endpoints, endpointsAt);
  }

  JobState withPods(List<PodState> to) {
    return new JobState(
        status,
        statusAt,
        reason,
        to,
        queuedAt,
        placedAt,
        startedAt,
        finishedAt,
        endpoints,
        endpointsAt);
  }

  JobState withQueuedAt(Instant at) {
    return new JobState(
        status,
        statusAt,
        reason,
        pods,
        at,
        placedAt,
        startedAt,
        finishedAt,
        endpoints,
        endpointsAt);
  }

  JobState withPlacedAt(Instant at) {
    return new JobState(
        status,
        statusAt,
        reason,
        pods,
        queuedAt,
        at,
        startedAt,
        finishedAt,
        endpoints,
        endpointsAt);
  }

  JobState withStartedAt(Instant at) {
    return new JobState(
        status, statusAt, reason, pods, queuedAt, placedAt, at, finishedAt, endpoints, endpointsAt);
  }

  JobState withFinishedAt(Instant at) {
    return new JobState(
        status, statusAt, reason, pods, queuedAt, placedAt, startedAt, at, endpoints, endpointsAt);
  }

  JobState withEndpoints(List<String> to, Instant at) {
    return new JobState(
        status, statusAt, reason, pods, queuedAt, placedAt, startedAt, finishedAt, to, at);
  }
}
