package dev.cotenant.placement.model;

import java.util.List;
import java.util.Map;

/**
 * A place the engine considered, for the explanation.
 *
 * @param node the node
 * @param gpuIndexes the cards (empty for a CPU-only pod)
 * @param totalScore the weighted sum of the normalised plugin scores
 * @param pluginScores each score plugin's normalised score (0-100), by plugin name
 */
public record Candidate(
    String node, List<Integer> gpuIndexes, double totalScore, Map<String, Double> pluginScores) {

  public Candidate {
    gpuIndexes = List.copyOf(gpuIndexes);
    pluginScores = Map.copyOf(pluginScores);
  }
}
