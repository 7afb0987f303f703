package dev.cotenant.fragmentation;

import java.util.Arrays;

/**
 * The free resources of one node during a fill run: CPU, memory and each card's milli-GPU left,
 * plus the count of pods of each GPU kind it holds (GPU clustering groups pods by kind). Pods only
 * arrive, so it only shrinks.
 */
public final class GpuNode {

  /** Kinds of GPU pod for {@link #podsOfKind}: 0 a share, n the pods of n whole cards. */
  public static final int SHARE_KIND = 0;

  private final int index;
  private final NodeCapacity capacity;
  private final int[] milliLeft;
  private final int[] podsOfKind = new int[PodRequest.MAX_GPUS + 1];
  private long cpuLeft;
  private long memoryLeft;
  private long totalMilliLeft;
  private int kinds;
  private int version;

  public GpuNode(int index, NodeCapacity capacity) {
    this.index = index;
    this.capacity = capacity;
    this.milliLeft = new int[capacity.numGpu()];
    Arrays.fill(milliLeft, PodRequest.MILLI);
    this.cpuLeft = capacity.cpuMilli();
    this.memoryLeft = capacity.memoryMiB();
    this.totalMilliLeft = (long) capacity.numGpu() * PodRequest.MILLI;
  }

  /** The node's position in its run, for per-node caches kept in arrays. */
  public int index() {
    return index;
  }

  public String name() {
    return capacity.name();
  }

  public String gpuType() {
    return capacity.gpuType();
  }

  public int numGpu() {
    return milliLeft.length;
  }

  public long cpuLeft() {
    return cpuLeft;
  }

  public long memoryLeft() {
    return memoryLeft;
  }

  public int milliLeft(int card) {
    return milliLeft[card];
  }

  /** The cards' milli-GPU left without a copy, for the measure's hot path; never modified. */
  int[] milliLeftView() {
    return milliLeft;
  }

  /** A copy of every card's milli-GPU left, in card order. */
  public int[] milliLeft() {
    return milliLeft.clone();
  }

  public long totalMilliLeft() {
    return totalMilliLeft;
  }

  /** Cards nobody holds any of. */
  public int freeCards() {
    int free = 0;
    for (int left : milliLeft) {
      if (left == PodRequest.MILLI) {
        free++;
      }
    }
    return free;
  }

  /** Pods of one GPU kind on this node ({@link #kindOf}). */
  public int podsOfKind(int kind) {
    return podsOfKind[kind];
  }

  /** How many GPU kinds the node holds pods of. */
  public int kinds() {
    return kinds;
  }

  /** Bumped on every change, so caches of anything derived from the node know they are stale. */
  public int version() {
    return version;
  }

  /** The pod's GPU kind: {@link #SHARE_KIND} for a share, else its number of cards. */
  public static int kindOf(PodRequest pod) {
    return pod.isShare() ? SHARE_KIND : pod.numGpu();
  }

  /**
   * Whether the pod fits: its GPU model (a hard filter), CPU, memory, and for a share one card with
   * enough left, for whole cards that many cards nobody holds.
   */
  public boolean fits(PodRequest pod) {
    if (pod.cpuMilli() > cpuLeft || pod.memoryMiB() > memoryLeft) {
      return false;
    }
    if (pod.isCpuOnly()) {
      return true;
    }
    if (!pod.accepts(gpuType())) {
      return false;
    }
    int fitting = 0;
    for (int left : milliLeft) {
      if (left >= pod.gpuMilli() && ++fitting == pod.numGpu()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Places the pod on the given cards (one for a share, {@code numGpu} free ones otherwise).
   *
   * @throws IllegalArgumentException if it does not fit there, which is a policy's bug
   */
  public void allocate(PodRequest pod, int[] cards) {
    if (cards.length != pod.numGpu()
        || pod.cpuMilli() > cpuLeft
        || pod.memoryMiB() > memoryLeft
        || !pod.accepts(gpuType())) {
      throw new IllegalArgumentException(pod.name() + " does not fit " + name());
    }
    for (int card : cards) {
      if (milliLeft[card] < pod.gpuMilli()) {
        throw new IllegalArgumentException(pod.name() + " does not fit card " + card);
      }
    }
    cpuLeft -= pod.cpuMilli();
    memoryLeft -= pod.memoryMiB();
    for (int card : cards) {
      milliLeft[card] -= pod.gpuMilli();
    }
    totalMilliLeft -= pod.totalGpuMilli();
    if (!pod.isCpuOnly() && podsOfKind[kindOf(pod)]++ == 0) {
      kinds++;
    }
    version++;
  }
}
