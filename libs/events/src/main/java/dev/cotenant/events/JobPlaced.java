package dev.cotenant.events;

import java.time.Instant;
import java.util.List;

/**
 * Placement reserved every replica of the job (a gang places whole or not at all), with the
 * explanation of the decision.
 */
public record JobPlaced(
    String eventId,
    Instant time,
    String tenant,
    String jobId,
    String policy,
    List<PodAssignment> pods,
    List<CandidateScore> topCandidates)
    implements JobEvent {
  public JobPlaced {
    pods = List.copyOf(pods);
    topCandidates = List.copyOf(topCandidates);
  }
}
