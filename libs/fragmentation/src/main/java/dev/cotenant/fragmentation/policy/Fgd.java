package dev.cotenant.fragmentation.policy;

import dev.cotenant.fragmentation.Cards;
import dev.cotenant.fragmentation.FillPolicy;
import dev.cotenant.fragmentation.Fragmentation;
import dev.cotenant.fragmentation.GpuNode;
import dev.cotenant.fragmentation.PodRequest;
import dev.cotenant.fragmentation.TargetWorkload;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Fragmentation Gradient Descent (Weng et al., ATC '23): the node, and for a share the card, whose
 * fragmentation against the target workload grows least when the pod lands there. The score is
 * {@code 100 × sigmoid((before − after) / 1000)} in integers, as FGD's plugin computes it, so
 * placements that change fragmentation by much the same tie and are drawn at random.
 *
 * <p>Incremental: each node's fragmentation before the pod is cached and recomputed only when that
 * node changed (a pod landed on it); only the candidate's state after the pod is priced per pod.
 */
public final class Fgd implements FillPolicy {

  public static final String NAME = "fgd";

  private final TargetWorkload target;
  private double[] before = new double[0];
  private int[] beforeVersion = new int[0];
  // The node each cached value belongs to: a policy reused on a fresh cluster must not trust them.
  private GpuNode[] beforeNode = new GpuNode[0];

  public Fgd(TargetWorkload target) {
    this.target = target;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public long score(PodRequest pod, GpuNode node) {
    return best(pod, node)[0];
  }

  @Override
  public int[] cards(PodRequest pod, GpuNode node, RandomGenerator random) {
    if (!pod.isShare()) {
      return Cards.firstFree(pod, node);
    }
    return new int[] {(int) best(pod, node)[1]};
  }

  /** {score, card}: the best card for a share (the first of the best), -1 for other pods. */
  private long[] best(PodRequest pod, GpuNode node) {
    double now = before(node);
    long cpuAfter = node.cpuLeft() - pod.cpuMilli();
    int[] left = node.milliLeft();
    if (!pod.isShare()) {
      // Whole cards come off free cards; which ones does not change the measure.
      int taken = 0;
      for (int card = 0; card < left.length && taken < pod.numGpu(); card++) {
        if (left[card] == PodRequest.MILLI) {
          left[card] = 0;
          taken++;
        }
      }
      double after = Fragmentation.of(cpuAfter, node.gpuType(), left, target);
      return new long[] {score(now, after), -1};
    }
    long bestScore = Long.MIN_VALUE;
    int bestCard = -1;
    // Cards with the same milli-GPU left price the same; price each value once.
    int[] pricedLeft = new int[left.length];
    long[] pricedScore = new long[left.length];
    int priced = 0;
    for (int card = 0; card < left.length; card++) {
      int cardLeft = left[card];
      if (cardLeft < pod.gpuMilli()) {
        continue;
      }
      long cardScore = Long.MIN_VALUE;
      for (int i = 0; i < priced; i++) {
        if (pricedLeft[i] == cardLeft) {
          cardScore = pricedScore[i];
          break;
        }
      }
      if (cardScore == Long.MIN_VALUE) {
        left[card] = cardLeft - pod.gpuMilli();
        cardScore = score(now, Fragmentation.of(cpuAfter, node.gpuType(), left, target));
        left[card] = cardLeft;
        pricedLeft[priced] = cardLeft;
        pricedScore[priced++] = cardScore;
      }
      if (cardScore > bestScore) {
        bestScore = cardScore;
        bestCard = card;
      }
    }
    return new long[] {bestScore, bestCard};
  }

  private double before(GpuNode node) {
    int i = node.index();
    if (i >= before.length) {
      int size = Math.max(i + 1, 2 * before.length);
      before = Arrays.copyOf(before, size);
      beforeVersion = Arrays.copyOf(beforeVersion, size);
      beforeNode = Arrays.copyOf(beforeNode, size);
    }
    if (beforeNode[i] != node || beforeVersion[i] != node.version()) {
      before[i] = Fragmentation.ofNode(node, target);
      beforeVersion[i] = node.version();
      beforeNode[i] = node;
    }
    return before[i];
  }

  private static long score(double before, double after) {
    return (long) (1.0 / (1.0 + Math.exp(-(before - after) / 1000)) * 100);
  }
}
