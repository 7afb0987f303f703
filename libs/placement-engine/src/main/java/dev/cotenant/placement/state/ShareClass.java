package dev.cotenant.placement.state;

import java.util.Collections;
import java.util.NavigableSet;
import java.util.TreeSet;

/** An equivalence class of cards (same {@link CardKey}), kept in node order then card index. */
public final class ShareClass {

  static final java.util.Comparator<Card> CARD_ORDER =
      java.util.Comparator.<Card>comparingLong(c -> c.node().ordinal())
          .thenComparingInt(Card::index);

  private final CardKey key;
  private final TreeSet<Card> cards = new TreeSet<>(CARD_ORDER);

  ShareClass(CardKey key) {
    this.key = key;
  }

  public CardKey key() {
    return key;
  }

  /** The class's cards, in node order then index. */
  public NavigableSet<Card> cards() {
    return Collections.unmodifiableNavigableSet(cards);
  }

  public int size() {
    return cards.size();
  }

  /** Any member: all of them look the same to the GPU-level filters and scores. */
  public Card representative() {
    return cards.first();
  }

  TreeSet<Card> mutableCards() {
    return cards;
  }
}
