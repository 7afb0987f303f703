package dev.cotenant.placement.framework;

/** Can this pod go on this candidate? */
public interface Filter extends Plugin {

  /** What a filter's verdict depends on, which tells the engine how often it must ask. */
  enum Scope {
    /**
     * Only on the card (its {@code CardKey}) or, for whole-GPU and CPU-only pods, on the node's
     * number of empty cards: asked once per equivalence class.
     */
    GPU,
    /** On the node's CPU and memory: asked per node while walking a class. */
    NODE
  }

  default Scope scope() {
    return Scope.GPU;
  }

  /**
   * False when, for a share pod, the verdict depends only on the card's tenant apps and exclusivity
   * (its {@code AppGroup}), not on used compute, memory or node resources: the engine may then ask
   * once per group of cards with the same tenant apps. Only meaningful for {@link Scope#GPU}.
   */
  default boolean dependsOnCapacity() {
    return true;
  }

  Status filter(CycleState cycle, PodContext pod, CandidateView candidate);
}
