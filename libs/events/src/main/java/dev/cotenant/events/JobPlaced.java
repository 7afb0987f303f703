package dev.cotenant.events;

import java.time.Instant;
import java.util.List;

/**
 * Placement reserved every replica of the job (a gang places whole or not at all), with the
 * explanation of the decision.
 *
 * @param endpoints in-cluster addresses ({@code host:port}) of an interactive job's Service; empty
 *     for batch jobs
 */
public record JobPlaced(
    String eventId,
    Instant time,
    String tenant,
    String jobId,
    String policy,
    List<PodAssignment> pods,
    List<CandidateScore> topCandidates,
    List<String> endpoints)
    implements JobEvent {
  public JobPlaced {
    pods = List.copyOf(pods);
    topCandidates = List.copyOf(topCandidates);
    // Absent in records written before endpoints existed.
    endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
  }

  /** A job with no endpoints (batch). */
  public JobPlaced(
      String eventId,
      Instant time,
      String tenant,
      String jobId,
      String policy,
      List<PodAssignment> pods,
      List<CandidateScore> topCandidates) {
    this(eventId, time, tenant, jobId, policy, pods, topCandidates, List.of());
  }
}
