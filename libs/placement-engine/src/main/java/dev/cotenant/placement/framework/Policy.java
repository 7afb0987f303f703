package dev.cotenant.placement.framework;

import java.util.List;

/**
 * A named, weighted set of plugins: what kube-scheduler calls a profile.
 *
 * @param name the policy name a job may ask for
 * @param queueSort order among pending jobs of equal priority
 * @param filters run in order; the first failure rejects the candidate
 * @param scores weighted score plugins
 * @param reserves reserve plugins, undone in reverse order on failure
 * @param permits gang gates
 */
public record Policy(
    String name,
    QueueSort queueSort,
    List<Filter> filters,
    List<WeightedScore> scores,
    List<Reserve> reserves,
    List<Permit> permits) {

  public Policy {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("policy name must not be blank");
    }
    filters = List.copyOf(filters);
    scores = List.copyOf(scores);
    reserves = List.copyOf(reserves);
    permits = List.copyOf(permits);
  }

  /**
   * A score plugin with its weight.
   *
   * @param plugin the plugin
   * @param weight multiplies its normalised (0-100) score
   */
  public record WeightedScore(Score plugin, double weight) {
    public WeightedScore {
      if (!(weight > 0)) {
        throw new IllegalArgumentException(
            "weight of " + plugin.name() + " must be > 0, got " + weight);
      }
    }
  }
}
