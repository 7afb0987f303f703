package dev.cotenant.placement.framework;

/**
 * How good is this candidate? Raw scores, higher is better; the engine normalises them to 0-100
 * across the candidates of one pod (min-max) and multiplies by the policy's weight.
 */
public interface Score extends Plugin {

  double score(CycleState cycle, PodContext pod, CandidateView candidate);

  /**
   * Whether cards of one equivalence class can score differently (for example by their tenants'
   * remaining work). The engine then scores a few cards per class instead of one.
   */
  default boolean variesWithinClass() {
    return false;
  }
}
