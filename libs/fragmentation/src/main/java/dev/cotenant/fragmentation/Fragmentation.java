package dev.cotenant.fragmentation;

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
 * so a cluster's measure is the sum of its nodes' and changes only where a pod lands.
 */
public final class Fragmentation {

  private Fragmentation() {}

  /** The node's expected fragmented milli-GPU against the target workload. */
  public static double ofNode(GpuNode node, TargetWorkload target) {
    return of(node.cpuLeft(), node.gpuType(), node.milliLeftView(), target);
  }

  /**
   * The same for a node in a hypothetical state: {@code milliLeft} per card, {@code cpuLeft}; lets
   * a policy price a placement without making it.
   */
  public static double of(long cpuLeft, String gpuType, int[] milliLeft, TargetWorkload target) {
    long idle = 0;
    for (int left : milliLeft) {
      idle += left;
    }
    if (idle == 0) {
      return 0;
    }
    double fragment = 0;
    for (TargetWorkload.Weighted w : target.shapes()) {
      fragment += w.weight() * forShape(cpuLeft, gpuType, milliLeft, idle, w.shape());
    }
    return fragment;
  }

  /** The fragmented milli-GPU of the node to one shape. */
  public static long forShape(long cpuLeft, String gpuType, int[] milliLeft, Shape shape) {
    long idle = 0;
    for (int left : milliLeft) {
      idle += left;
    }
    return forShape(cpuLeft, gpuType, milliLeft, idle, shape);
  }

  private static long forShape(
      long cpuLeft, String gpuType, int[] milliLeft, long idle, Shape shape) {
    if (shape.isCpuOnly() || !shape.accepts(gpuType) || cpuLeft < shape.cpuMilli()) {
      return idle;
    }
    int fitting = 0;
    long tooSmall = 0;
    for (int left : milliLeft) {
      if (left >= shape.gpuMilli()) {
        fitting++;
      } else {
        tooSmall += left;
      }
    }
    return fitting >= shape.numGpu() ? tooSmall : idle;
  }
}
