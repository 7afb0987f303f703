package dev.cotenant.placement.model;

/**
 * A running pod moved to another card: it checkpoints, stops, and restarts there from the
 * checkpoint. The caller carries it out (the simulator, or the placement service by evicting and
 * rebinding the pod).
 *
 * @param podName the pod
 * @param jobId its job
 * @param from where it ran
 * @param to where it runs next
 * @param gainSeconds predicted seconds of completion time the move (or the swap it is half of)
 *     saves all the pods involved, after paying the migration cost
 */
public record Migration(
    String podName, String jobId, PodPlacement from, PodPlacement to, double gainSeconds) {}
