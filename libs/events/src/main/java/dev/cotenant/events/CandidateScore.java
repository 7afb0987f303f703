package dev.cotenant.events;

import java.util.Map;

/** One ranked candidate of a placement decision with each scoring plugin's 0-100 score. */
public record CandidateScore(String node, int gpuIndex, double total, Map<String, Double> plugins) {
  public CandidateScore {
    plugins = Map.copyOf(plugins);
  }
}
