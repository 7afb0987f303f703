package dev.cotenant.placement.framework;

/**
 * How good is this candidate? Raw scores, higher is better; the engine normalises them to 0-100
 * across the candidates of one pod (min-max) and multiplies by the policy's weight.
 */
public interface Score extends Plugin {

  double score(CycleState cycle, PodContext pod, CandidateView candidate);

  /**
   * False when, for a share pod, the score depends only on the card's tenants (their apps, and
   * possibly their remaining work), not on its used compute and memory nor on node resources. When
   * every score of a policy says false, the engine scores one card per group of cards with the same
   * tenant apps ({@code AppGroup}): the first that passes every filter, in node order then card
   * index. Other policies score one card per {@code CardKey} class.
   */
  default boolean dependsOnCapacity() {
    return true;
  }
}
