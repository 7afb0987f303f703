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
 * @param rebalancing whether and how {@link PlacementEngine#rebalance} moves running pods
 */
public record EngineConfig(
    String defaultPolicy,
    double podStartSeconds,
    int topCandidates,
    double uncertaintyPenalty,
    Rebalancing rebalancing) {

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
    if (rebalancing == null) {
      throw new IllegalArgumentException("rebalancing must be given (Rebalancing.OFF for none)");
    }
  }

  /** Without rebalancing. */
  public EngineConfig(
      String defaultPolicy, double podStartSeconds, int topCandidates, double uncertaintyPenalty) {
    this(defaultPolicy, podStartSeconds, topCandidates, uncertaintyPenalty, Rebalancing.OFF);
  }

  public static EngineConfig defaults() {
    return new EngineConfig("interference-aware", 2.0, 3, 100.0);
  }

  public EngineConfig withDefaultPolicy(String policy) {
    return new EngineConfig(
        policy, podStartSeconds, topCandidates, uncertaintyPenalty, rebalancing);
  }

  public EngineConfig withRebalancing(Rebalancing r) {
    return new EngineConfig(defaultPolicy, podStartSeconds, topCandidates, uncertaintyPenalty, r);
  }

  /**
   * Moving running GPU-share pods to cards where they and their co-tenants lose less to
   * interference, as Gavel re-pairs checkpointed training jobs each round. Only for jobs that
   * resume from a checkpoint: a move restarts the pod elsewhere.
   *
   * @param migrationSeconds what one move costs the moved pod: checkpoint, stop, start, restore
   * @param maxMovesPerRound at most this many pods moved by one call; 0 turns rebalancing off
   */
  public record Rebalancing(double migrationSeconds, int maxMovesPerRound) {

    public static final Rebalancing OFF = new Rebalancing(0, 0);

    public Rebalancing {
      if (!(migrationSeconds >= 0) || Double.isInfinite(migrationSeconds)) {
        throw new IllegalArgumentException(
            "migrationSeconds must be a finite number >= 0, got " + migrationSeconds);
      }
      if (maxMovesPerRound < 0) {
        throw new IllegalArgumentException(
            "maxMovesPerRound must be >= 0, got " + maxMovesPerRound);
      }
    }

    public boolean enabled() {
      return maxMovesPerRound > 0;
    }
  }
}
