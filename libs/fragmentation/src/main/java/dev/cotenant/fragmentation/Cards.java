package dev.cotenant.fragmentation;

import java.util.random.RandomGenerator;

/** The card choices FGD's simulator makes once a node is chosen. */
public final class Cards {

  private static final int[] NONE = new int[0];

  private Cards() {}

  /** A share to the fitting card with least left (the first such); whole cards the first free. */
  public static int[] bestFit(PodRequest pod, GpuNode node) {
    if (!pod.isShare()) {
      return firstFree(pod, node);
    }
    int best = -1;
    for (int card = 0; card < node.numGpu(); card++) {
      int left = node.milliLeft(card);
      if (left >= pod.gpuMilli() && (best < 0 || left < node.milliLeft(best))) {
        best = card;
      }
    }
    return single(best, pod, node);
  }

  /** A share to a fitting card drawn uniformly; whole cards the first free. */
  public static int[] randomFit(PodRequest pod, GpuNode node, RandomGenerator random) {
    if (!pod.isShare()) {
      return firstFree(pod, node);
    }
    int chosen = -1;
    int fitting = 0;
    for (int card = 0; card < node.numGpu(); card++) {
      if (node.milliLeft(card) >= pod.gpuMilli() && random.nextInt(++fitting) == 0) {
        chosen = card;
      }
    }
    return single(chosen, pod, node);
  }

  /** The first {@code numGpu} cards nobody holds, in card order (none for a CPU-only pod). */
  public static int[] firstFree(PodRequest pod, GpuNode node) {
    if (pod.isCpuOnly()) {
      return NONE;
    }
    int[] cards = new int[pod.numGpu()];
    int found = 0;
    for (int card = 0; card < node.numGpu() && found < cards.length; card++) {
      if (node.milliLeft(card) == PodRequest.MILLI) {
        cards[found++] = card;
      }
    }
    if (found < cards.length) {
      throw new IllegalArgumentException(
          pod.name() + " needs free cards " + node.name() + " lacks");
    }
    return cards;
  }

  private static int[] single(int card, PodRequest pod, GpuNode node) {
    if (card < 0) {
      throw new IllegalArgumentException(pod.name() + " fits no card of " + node.name());
    }
    return new int[] {card};
  }
}
