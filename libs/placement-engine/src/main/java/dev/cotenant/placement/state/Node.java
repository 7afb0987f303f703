package dev.cotenant.placement.state;

import dev.cotenant.placement.model.NodeInfo;
import java.util.List;

/** A node's live state. Read-only outside this package; {@link ClusterState} mutates it. */
public final class Node {

  private final NodeInfo info;
  // Position in the cluster's node order: the deterministic tie-break, stable across removals.
  private final long ordinal;
  private final List<Card> cards;
  private long freeCpuMilli;
  private long freeMemoryMiB;
  private int freeWholeGpus;
  private int podCount;
  private int version;

  Node(NodeInfo info, long ordinal) {
    this.info = info;
    this.ordinal = ordinal;
    this.cards =
        info.gpus().stream()
            .sorted(java.util.Comparator.comparingInt(g -> g.index()))
            .map(g -> new Card(this, g))
            .toList();
    this.freeCpuMilli = info.cpuMilli();
    this.freeMemoryMiB = info.memoryMiB();
    this.freeWholeGpus = cards.size();
  }

  public String name() {
    return info.name();
  }

  public NodeInfo info() {
    return info;
  }

  public long ordinal() {
    return ordinal;
  }

  /** Cards by ascending index. */
  public List<Card> cards() {
    return cards;
  }

  public long freeCpuMilli() {
    return freeCpuMilli;
  }

  public long freeMemoryMiB() {
    return freeMemoryMiB;
  }

  /** Cards with no tenant at all, the ones a whole-GPU pod may take. */
  public int freeWholeGpus() {
    return freeWholeGpus;
  }

  public int podCount() {
    return podCount;
  }

  /**
   * Bumped whenever the node's free resources or any of its cards change, so a cache of anything
   * derived from the node (a fragmentation measure) can tell it is stale.
   */
  public int version() {
    return version;
  }

  void touch() {
    version++;
  }

  void add(long cpu, long mem) {
    freeCpuMilli -= cpu;
    freeMemoryMiB -= mem;
    podCount++;
  }

  void remove(long cpu, long mem) {
    freeCpuMilli += cpu;
    freeMemoryMiB += mem;
    podCount--;
  }

  void recountFreeWholeGpus() {
    int n = 0;
    for (Card c : cards) {
      if (c.isEmpty()) {
        n++;
      }
    }
    freeWholeGpus = n;
  }

  @Override
  public String toString() {
    return "Node[" + name() + "]";
  }
}
