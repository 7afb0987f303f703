package dev.cotenant.placement.model;

import java.util.List;

/**
 * The outcome of one placement attempt, with its explanation.
 *
 * @param jobId the job
 * @param policy the policy used
 * @param placed whether all replicas were reserved
 * @param replicas the gang size chosen (placed) or asked for (not placed)
 * @param placements one per pod when placed, else empty
 * @param topCandidates the best candidates for the first pod, best first
 * @param reasons one per failing filter when not placed, else empty
 */
public record Decision(
    String jobId,
    String policy,
    boolean placed,
    int replicas,
    List<PodPlacement> placements,
    List<Candidate> topCandidates,
    List<Reason> reasons) {

  public Decision {
    placements = List.copyOf(placements);
    topCandidates = List.copyOf(topCandidates);
    reasons = List.copyOf(reasons);
  }
}
