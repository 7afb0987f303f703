package dev.cotenant.fragmentation.policy;

import dev.cotenant.fragmentation.FillPolicy;
import dev.cotenant.fragmentation.GpuNode;
import dev.cotenant.fragmentation.PodRequest;
import java.util.Arrays;

/**
 * FGD's GpuPacking baseline, in three tiers from best: a node where the pod fits on cards already
 * in use (50-100, less left on those cards better), then a partly used node where it needs free
 * cards (33-50, fewer free cards used better), then an untouched node (0-33, fewer cards better).
 * CPU-only pods score 0 everywhere, so they land at random.
 */
public final class GpuPacking implements FillPolicy {

  public static final String NAME = "gpu-packing";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public long score(PodRequest pod, GpuNode node) {
    if (pod.isCpuOnly()) {
      return 0;
    }
    int free = node.freeCards();
    if (free == node.numGpu()) {
      return Math.max(100 / 3 - free, free);
    }
    // Cards by least left first, as the packing fills them.
    int[] left = node.milliLeft();
    Integer[] order = new Integer[left.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Integer.compare(left[a], left[b]));
    int needed = pod.numGpu();
    int freeUsed = 0;
    long leftOnUsed = 0;
    for (int card : order) {
      if (needed == 0) {
        break;
      }
      if (left[card] >= pod.gpuMilli()) {
        needed--;
        if (left[card] == PodRequest.MILLI) {
          freeUsed++;
        }
        leftOnUsed += left[card] * 100L / PodRequest.MILLI;
      }
    }
    if (freeUsed > 0) {
      return Math.max(100 / 2 - freeUsed, 100 / 3);
    }
    return Math.max(100 - leftOnUsed / 10, 100 / 2);
  }
}
