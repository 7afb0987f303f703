package dev.cotenant.placement.state;

import java.util.ArrayList;
import java.util.List;

/**
 * The cards with the same multiset of tenant apps and the same exclusivity, whatever their used
 * compute and memory: every filter and score that depends only on the tenant apps (see {@code
 * Filter.dependsOnCapacity}, {@code Score.dependsOnCapacity}) sees the same thing on all of them.
 *
 * <p>The cards are kept in node order, then card index, in blocks of at most {@value #MAX_BLOCK}
 * cards; each block knows the largest free compute and the largest free memory of its cards. {@link
 * #firstFitting} walks the blocks in order, skips a block where no card has both the compute and
 * the memory, and scans the others card by card, so the first card in node order with room for a
 * share is found without visiting every card. Insert and remove cost a binary search over the
 * blocks plus one block's size.
 */
public final class AppGroup {

  static final int MAX_BLOCK = 64;

  /**
   * A group's key.
   *
   * @param apps sorted tenant apps
   * @param exclusive held whole by one pod
   */
  public record Key(List<String> apps, boolean exclusive) {}

  private final Key key;
  private final int[] appIds;
  private final List<Block> blocks = new ArrayList<>();
  private int size;

  AppGroup(Key key, int[] appIds) {
    this.key = key;
    this.appIds = appIds;
  }

  public Key key() {
    return key;
  }

  /** Sorted tenant apps (as in {@link Card#tenantApps()}). */
  public List<String> apps() {
    return key.apps();
  }

  public boolean exclusive() {
    return key.exclusive();
  }

  /** The tenant apps as {@link AppIds}, in the order of {@link #apps()}. Do not modify. */
  public int[] appIds() {
    return appIds;
  }

  public int size() {
    return size;
  }

  /** The first card in node order; the group must not be empty. */
  public Card first() {
    return blocks.get(0).cards.get(0);
  }

  /** Every card of the group, in node order, then index (a copy). */
  public List<Card> cards() {
    List<Card> all = new ArrayList<>(size);
    for (Block b : blocks) {
      all.addAll(b.cards);
    }
    return all;
  }

  /**
   * Cards in node order, then index, from the first with at least {@code milli} free compute and
   * {@code memoryMiB} free GPU memory, offered to {@code accept} one by one until it returns true;
   * returns that card, or null. Cards without that room are never offered.
   */
  public Card firstFitting(int milli, long memoryMiB, CardTest accept) {
    for (int b = 0, nb = blocks.size(); b < nb; b++) {
      Block block = blocks.get(b);
      if (block.maxFreeMilli < milli || block.maxFreeMemory < memoryMiB) {
        continue;
      }
      List<Card> cards = block.cards;
      for (int i = 0, n = cards.size(); i < n; i++) {
        Card c = cards.get(i);
        if (c.freeMilli() >= milli && c.freeMemoryMiB() >= memoryMiB && accept.test(c)) {
          return c;
        }
      }
    }
    return null;
  }

  /** A test on a card. */
  @FunctionalInterface
  public interface CardTest {
    boolean test(Card card);
  }

  void add(Card c) {
    size++;
    if (blocks.isEmpty()) {
      Block b = new Block();
      b.cards.add(c);
      b.include(c);
      blocks.add(b);
      return;
    }
    int bi = blockFor(c);
    Block b = blocks.get(bi);
    int pos = position(b.cards, c);
    b.cards.add(pos, c);
    b.include(c);
    if (b.cards.size() > 2 * MAX_BLOCK) {
      Block right = new Block();
      List<Card> tail = b.cards.subList(MAX_BLOCK, b.cards.size());
      right.cards.addAll(tail);
      tail.clear();
      b.recompute();
      right.recompute();
      blocks.add(bi + 1, right);
    }
  }

  /** Removes {@code c}, which must not have changed since {@link #add} (the state re-adds it). */
  void remove(Card c) {
    int bi = blockFor(c);
    Block b = blocks.get(bi);
    int pos = position(b.cards, c);
    if (pos >= b.cards.size() || b.cards.get(pos) != c) {
      throw new IllegalStateException("card " + c + " is not in group " + key);
    }
    b.cards.remove(pos);
    size--;
    if (b.cards.isEmpty()) {
      blocks.remove(bi);
    } else if (c.freeMilli() >= b.maxFreeMilli || c.freeMemoryMiB() >= b.maxFreeMemory) {
      // The bounds can only drop if c held one of them (c is unchanged since it was added).
      b.recompute();
    }
  }

  /** The block whose range holds {@code c}: the first whose last card is not before it. */
  private int blockFor(Card c) {
    int lo = 0;
    int hi = blocks.size() - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      List<Card> cards = blocks.get(mid).cards;
      if (ShareClass.CARD_ORDER.compare(cards.get(cards.size() - 1), c) < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** Insertion point of {@code c} in a block (index of c itself when present). */
  private static int position(List<Card> cards, Card c) {
    int lo = 0;
    int hi = cards.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (ShareClass.CARD_ORDER.compare(cards.get(mid), c) < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private static final class Block {
    final List<Card> cards = new ArrayList<>();
    int maxFreeMilli;
    long maxFreeMemory;

    void include(Card c) {
      maxFreeMilli = Math.max(maxFreeMilli, c.freeMilli());
      maxFreeMemory = Math.max(maxFreeMemory, c.freeMemoryMiB());
    }

    void recompute() {
      maxFreeMilli = 0;
      maxFreeMemory = 0;
      for (Card c : cards) {
        include(c);
      }
    }
  }
}
