package dev.cotenant.placement;

/**
 * Engine settings.
 *
 * @param defaultPolicy the policy for jobs that name none, and whose queue sort the queue uses
 * @param podStartSeconds expected serial start time per pod on one node (image pull, container
 *     start), what makes piling many replicas onto one node slow for right-sizing
 * @param topCandidates how many candidates a decision explains
 * @param uncertaintyPenalty seconds of cost per unit of prediction uncertainty for pairs that are
 *     not measured (interference-aware)
 */
public record EngineConfig(
    String defaultPolicy, double podStartSeconds, int topCandidates, double uncertaintyPenalty) {

  public EngineConfig {
    if (defaultPolicy == null || defaultPolicy.isBlank()) {
      throw new IllegalArgumentException("defaultPolicy must not be blank");
    }
    if (!(podStartSeconds >= 0)) {
      throw new IllegalArgumentException("podStartSeconds must be >= 0, got " + podStartSeconds);
    }
    if (topCandidates < 0) {
      throw new IllegalArgumentException("topCandidates must be >= 0, got " + topCandidates);
    }
    if (!(uncertaintyPenalty >= 0)) {
      throw new IllegalArgumentException(
          "uncertaintyPenalty must be >= 0, got " + uncertaintyPenalty);
    }
  }

  public static EngineConfig defaults() {
    return new EngineConfig("interference-aware", 2.0, 3, 100.0);
  }

  public EngineConfig withDefaultPolicy(String policy) {
    return new EngineConfig(policy, podStartSeconds, topCandidates, uncertaintyPenalty);
  }
}
