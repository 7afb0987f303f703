package dev.cotenant.placement.framework;

import dev.cotenant.interference.InterferenceModel;

/**
 * What a queue sort may look at besides the jobs.
 *
 * @param model the current interference model (profiles)
 * @param largestCardMemoryMiB memory of the cluster's largest card, what a whole GPU counts as
 */
public record SortContext(InterferenceModel model, long largestCardMemoryMiB) {}
