package dev.cotenant.placement.framework;

import dev.cotenant.fragmentation.PodRequest;
import dev.cotenant.fragmentation.Shape;
import dev.cotenant.fragmentation.TargetWorkload;
import dev.cotenant.placement.model.JobRequest;
import dev.cotenant.placement.model.PodShape;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the cluster is being asked for: the pod shapes of recently arrived jobs, each arrival's
 * weight halving every {@code halfLifePods} later pods, plus the jobs waiting in the queue now at
 * the weight of a fresh arrival. The fragmentation score measures stranded capacity against the
 * shapes covering 95% of this weight ({@link #target}), FGD's "typical pods" taken from what is
 * asked rather than from a file.
 *
 * <p>Incremental and stable: an arrival or a queue change costs a map update; the target handed out
 * is replaced only when the distribution of shapes has moved by at least {@code move} in total
 * variation distance ({@code ½ Σ |p − q|}) since the last one, because a new target reprices every
 * node. {@link #epoch} changes exactly when it is replaced. Not thread-safe.
 */
public final class Demand {

  /** Arrivals until one weighs half: the 2,000-pod window of {@code FgdRecent}, as a half-life. */
  public static final double DEFAULT_HALF_LIFE_PODS = 2_000;

  /**
   * The distance that replaces the target. Two independent samples of openb pods (91 shapes, most
   * of them rare) lie 0.14 apart at 500 pods each, 0.10 at 1,000 and 0.07 at 2,000: a smaller
   * threshold would mostly chase sampling noise and reprice the cluster for it. On openb (seeds
   * 1–5, through the engine) 0.05 leaves 5.00% unallocated at a third of the speed, 0.1 5.07%, 0.2
   * 5.27%.
   */
  public static final double DEFAULT_MOVE = 0.1;

  private final double growth;
  private final double move;
  // Per kind of request (pod shape and models, cheap to hash): its shape, its decayed weight in
  // units that grow by `growth` per pod (no per-arrival rescan) and its pods waiting. Several kinds
  // may have one shape (they differ in memory); shares() adds them up.
  private final Map<Kind, Slot> slots = new HashMap<>();
  private double unit = 1;
  private double historyTotal;
  private long pendingTotal;
  private boolean changed;
  // Arrivals that cannot have moved the distribution by `move` since the last check, so are not
  // checked: each arrival moves it by at most its weight's share of the total.
  private long unchecked;
  private TargetWorkload target;
  private Map<Shape, Double> targetShares = Map.of();
  private int epoch;

  public Demand() {
    this(DEFAULT_HALF_LIFE_PODS, DEFAULT_MOVE);
  }

  public Demand(double halfLifePods, double move) {
    if (!(halfLifePods > 0) || Double.isInfinite(halfLifePods)) {
      throw new IllegalArgumentException("halfLifePods must be > 0, got " + halfLifePods);
    }
    if (!(move >= 0 && move <= 1)) {
      throw new IllegalArgumentException("move must be within 0..1, got " + move);
    }
    this.growth = Math.pow(2, 1 / halfLifePods);
    this.move = move;
  }

  /** A job arrived (submitted): its pods join the history. */
  public void arrived(JobRequest job) {
    Slot slot = slot(job);
    int pods = job.replicas().max();
    for (int i = pods; i > 0; i--) {
      slot.weight += unit;
      historyTotal += unit;
      unit *= growth;
    }
    if (unit > 1e100) {
      rescale();
    }
    unchecked -= pods;
    if (unchecked < 0) {
      unchecked = 0;
      changed = true;
    }
  }

  /** A job waits in the queue; {@link #dequeued} when it is placed, cancelled or set aside. */
  public void queued(JobRequest job) {
    int pods = job.replicas().max();
    slot(job).pending += pods;
    pendingTotal += pods;
    unchecked = 0;
    changed = true;
  }

  public void dequeued(JobRequest job) {
    Slot slot = slots.get(new Kind(job.shape(), job.gpuModels()));
    if (slot == null) {
      return;
    }
    int removed = Math.min(slot.pending, job.replicas().max());
    slot.pending -= removed;
    pendingTotal -= removed;
    unchecked = 0;
    changed = true;
  }

  /** The target workload, empty while nothing has been asked for. */
  public Optional<TargetWorkload> target() {
    if (changed) {
      changed = false;
      Map<Shape, Double> shares = shares();
      double moved = target == null ? 1 : distance(shares, targetShares);
      if (!shares.isEmpty() && moved >= move) {
        target = TargetWorkload.covering(shares, TargetWorkload.DEFAULT_COVERAGE);
        targetShares = shares;
        epoch++;
        moved = 0;
      }
      // An arrival of weight u moves the shares by at most u / total (total variation), and the
      // i-th next one weighs unit × growth^i against a total of at least today's: k arrivals move
      // them by at most unit (growth^k − 1) / ((growth − 1) total). Skip the checks of the k that
      // cannot reach `move` yet.
      double total = historyTotal + pendingTotal * unit;
      if (total > 0 && move > moved) {
        double k = Math.log1p((move - moved) * (growth - 1) * total / unit) / Math.log(growth);
        unchecked = (long) Math.max(0, Math.floor(k) - 1);
      }
    }
    return Optional.ofNullable(target);
  }

  /** Changes when {@link #target} hands out another target. */
  public int epoch() {
    target();
    return epoch;
  }

  /** Each shape's share of the weight now: history plus the queue. */
  Map<Shape, Double> shares() {
    double total = historyTotal + pendingTotal * unit;
    Map<Shape, Double> shares = new HashMap<>();
    if (total <= 0) {
      return shares;
    }
    for (Slot slot : slots.values()) {
      double w = slot.weight + slot.pending * unit;
      if (w > 0) {
        shares.merge(slot.shape, w / total, Double::sum);
      }
    }
    return shares;
  }

  private Slot slot(JobRequest job) {
    Kind kind = new Kind(job.shape(), job.gpuModels());
    Slot slot = slots.get(kind);
    if (slot == null) {
      slot = new Slot(shapeOf(job));
      slots.put(kind, slot);
    }
    return slot;
  }

  private record Kind(PodShape shape, List<String> models) {}

  private static final class Slot {
    final Shape shape;
    double weight;
    int pending;

    Slot(Shape shape) {
      this.shape = shape;
    }
  }

  /** Total variation distance; shapes missing from one side weigh 0 there. */
  static double distance(Map<Shape, Double> p, Map<Shape, Double> q) {
    double sum = 0;
    for (Map.Entry<Shape, Double> e : p.entrySet()) {
      sum += Math.abs(e.getValue() - q.getOrDefault(e.getKey(), 0.0));
    }
    for (Map.Entry<Shape, Double> e : q.entrySet()) {
      if (!p.containsKey(e.getKey())) {
        sum += e.getValue();
      }
    }
    return sum / 2;
  }

  private void rescale() {
    for (Slot slot : slots.values()) {
      slot.weight /= unit;
    }
    historyTotal /= unit;
    unit = 1;
  }

  /**
   * A job's pod shape as the fragmentation measure counts it: CPU, the GPU request (a share is one
   * card's part, whole GPUs are 1000 milli each) and the GPU models it accepts; memory only
   * filters, as in FGD.
   */
  public static Shape shapeOf(JobRequest job) {
    PodShape shape = job.shape();
    if (shape.isWhole()) {
      return new Shape(shape.cpuMilli(), shape.wholeGpus(), PodRequest.MILLI, job.gpuModels());
    }
    if (shape.isShare()) {
      return new Shape(shape.cpuMilli(), 1, Math.max(1, shape.gpuMilli()), job.gpuModels());
    }
    return new Shape(shape.cpuMilli(), 0, 0, List.of());
  }
}
