package dev.cotenant.fragmentation;

import java.util.ArrayList;
import java.util.List;

/**
 * FGD's fragmentation measure (Weng et al., "Beware of Fragmentation", ATC '23): the milli-GPU of a
 * node that a pod of the target workload, drawn by its weight, could not use. For one shape:
 *
 * <ul>
 *   <li>a CPU-only shape uses no GPU, so every idle milli-GPU of the node is a fragment to it;
 *   <li>a GPU shape that the node cannot take at all (another GPU model, too little CPU left, or
 *       fewer cards with the shape's per-card share left than it needs) finds every idle milli-GPU
 *       a fragment;
 *   <li>a GPU shape the node can take finds a fragment in each card with less than its per-card
 *       share left (for whole-card shapes, every card that is partly held).
 * </ul>
 *
 * <p>The node's measure is the weighted sum over the target's shapes. It depends on the node alone,
 * so a cluster's measure is the sum of its nodes' and changes only where a pod lands. An instance
 * is the measure of one target, prepared so that a node is measured with one pass over its cards
 * per distinct per-card share of the target rather than one per shape; it is not thread-safe.
 */
public final class Fragmentation {

  private final double cpuOnlyWeight;
  private final int[] thresholds;
  private final long[] shapeCpu;
  private final int[] shapeCards;
  private final int[] shapeThreshold;
  private final double[] shapeWeight;
  private final Shape[] typed;
  // Scratch of of(): an instance serves one thread, so the arrays are reused, not reallocated.
  private final int[] fitting;
  private final long[] tooSmall;

  public Fragmentation(TargetWorkload target) {
    double cpuOnly = 0;
    List<Integer> distinct = new ArrayList<>();
    List<TargetWorkload.Weighted> gpu = new ArrayList<>();
    for (TargetWorkload.Weighted w : target.shapes()) {
      if (w.shape().isCpuOnly()) {
        cpuOnly += w.weight();
      } else {
        gpu.add(w);
        if (!distinct.contains(w.shape().gpuMilli())) {
          distinct.add(w.shape().gpuMilli());
        }
      }
    }
    cpuOnlyWeight = cpuOnly;
    thresholds = distinct.stream().mapToInt(Integer::intValue).toArray();
    fitting = new int[thresholds.length];
    tooSmall = new long[thresholds.length];
    shapeCpu = new long[gpu.size()];
    shapeCards = new int[gpu.size()];
    shapeThreshold = new int[gpu.size()];
    shapeWeight = new double[gpu.size()];
    typed = new Shape[gpu.size()];
    for (int i = 0; i < gpu.size(); i++) {
      Shape shape = gpu.get(i).shape();
      shapeCpu[i] = shape.cpuMilli();
      shapeCards[i] = shape.numGpu();
      shapeThreshold[i] = distinct.indexOf(shape.gpuMilli());
      shapeWeight[i] = gpu.get(i).weight();
      typed[i] = shape.gpuTypes().isEmpty() ? null : shape;
    }
  }

  /** The node's expected fragmented milli-GPU against the target workload. */
  public static double ofNode(GpuNode node, TargetWorkload target) {
    return new Fragmentation(target).of(node);
  }

  /** The same for a node in a hypothetical state, against one target. */
  public static double of(long cpuLeft, String gpuType, int[] milliLeft, TargetWorkload target) {
    return new Fragmentation(target).of(cpuLeft, gpuType, milliLeft);
  }

  /** The node's expected fragmented milli-GPU. */
  public double of(GpuNode node) {
    return of(node.cpuLeft(), node.gpuType(), node.milliLeftView());
  }

  /**
   * The same for a node in a hypothetical state: {@code milliLeft} per card, {@code cpuLeft}; lets
   * a policy price a placement without making it.
   */
  public double of(long cpuLeft, String gpuType, int[] milliLeft) {
    long idle = 0;
    for (int left : milliLeft) {
      idle += left;
    }
    if (idle == 0) {
      return 0;
    }
    for (int t = 0; t < thresholds.length; t++) {
      fitting[t] = 0;
      tooSmall[t] = 0;
      for (int left : milliLeft) {
        if (left >= thresholds[t]) {
          fitting[t]++;
        } else {
          tooSmall[t] += left;
        }
      }
    }
    double fragment = cpuOnlyWeight * idle;
    for (int i = 0; i < shapeCpu.length; i++) {
      int t = shapeThreshold[i];
      boolean takes =
          cpuLeft >= shapeCpu[i]
              && fitting[t] >= shapeCards[i]
              && (typed[i] == null || typed[i].accepts(gpuType));
      fragment += shapeWeight[i] * (takes ? tooSmall[t] : idle);
    }
    return fragment;
  }

  /**
   * FGD's score of a placement that takes the node's measure from {@code before} to {@code after}:
   * {@code 100 × sigmoid((before − after) / 1000)} in integers, as its plugin computes it, so
   * placements that change fragmentation by much the same tie.
   */
  public static long score(double before, double after) {
    return (long) (1.0 / (1.0 + Math.exp(-(before - after) / 1000)) * 100);
  }

  /**
   * FGD's card for a share of {@code milli} on a node measured {@code before}: the card with enough
   * left whose use scores best ({@link #score}), the first of the best; cards with the same
   * milli-GPU left price the same, so each value is priced once. {@code milliLeft} is restored.
   *
   * @return {score, card}, card -1 (and score {@code Long.MIN_VALUE}) when no card has room
   */
  public long[] bestShare(
      long cpuAfter, String gpuType, int[] milliLeft, int milli, double before) {
    long bestScore = Long.MIN_VALUE;
    int bestCard = -1;
    int[] pricedLeft = new int[milliLeft.length];
    long[] pricedScore = new long[milliLeft.length];
    int priced = 0;
    for (int card = 0; card < milliLeft.length; card++) {
      int cardLeft = milliLeft[card];
      if (cardLeft < milli) {
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
        milliLeft[card] = cardLeft - milli;
        cardScore = score(before, of(cpuAfter, gpuType, milliLeft));
        milliLeft[card] = cardLeft;
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

  /** The fragmented milli-GPU of the node to one shape. */
  public static long forShape(long cpuLeft, String gpuType, int[] milliLeft, Shape shape) {
    long idle = 0;
    int fitting = 0;
    long tooSmall = 0;
    for (int left : milliLeft) {
      idle += left;
      if (left >= shape.gpuMilli()) {
        fitting++;
      } else {
        tooSmall += left;
      }
    }
    if (shape.isCpuOnly() || !shape.accepts(gpuType) || cpuLeft < shape.cpuMilli()) {
      return idle;
    }
    return fitting >= shape.numGpu() ? tooSmall : idle;
  }
}
