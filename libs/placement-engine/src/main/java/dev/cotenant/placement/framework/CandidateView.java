package dev.cotenant.placement.framework;

import dev.cotenant.placement.state.Card;
import dev.cotenant.placement.state.Node;
import java.util.List;
import java.util.Optional;

/**
 * A place a pod could go: a card for a share pod, a node and its cards for a whole-GPU pod, a node
 * for a CPU-only pod.
 *
 * @param node the node
 * @param card the card, for a share pod
 * @param wholeCards the cards, for a whole-GPU pod (lowest free indexes)
 */
public record CandidateView(Node node, Optional<Card> card, List<Card> wholeCards) {

  public static CandidateView share(Card card) {
    return new CandidateView(card.node(), Optional.of(card), List.of());
  }

  public static CandidateView whole(Node node, List<Card> cards) {
    return new CandidateView(node, Optional.empty(), cards);
  }

  public static CandidateView cpuOnly(Node node) {
    return new CandidateView(node, Optional.empty(), List.of());
  }
}
