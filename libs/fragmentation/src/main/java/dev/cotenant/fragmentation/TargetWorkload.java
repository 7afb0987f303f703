package dev.cotenant.fragmentation;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pod shapes a node's free resources are judged against, each with its share of pods: FGD's
 * "typical pods", the most popular shapes that together cover a share (95%) of the pods, their
 * weights renormalised to sum to 1. CPU-only pods count as shapes too.
 */
public record TargetWorkload(List<Weighted> shapes) {

  /** One shape and its share of the target workload's pods. */
  public record Weighted(Shape shape, double weight) {}

  /** FGD's default popularity threshold: the shapes covering 95% of pods. */
  public static final double DEFAULT_COVERAGE = 0.95;

  public TargetWorkload {
    shapes = List.copyOf(shapes);
    if (shapes.isEmpty()) {
      throw new IllegalArgumentException("a target workload needs at least one shape");
    }
  }

  /**
   * The most popular shapes of {@code pods} that together cover at least {@code coverage} of them,
   * most popular first (ties in FGD's order, larger shapes first).
   */
  public static TargetWorkload covering(Collection<PodRequest> pods, double coverage) {
    if (pods.isEmpty()) {
      throw new IllegalArgumentException("no pods to take the target workload from");
    }
    if (!(coverage > 0 && coverage <= 1)) {
      throw new IllegalArgumentException("coverage must be in (0, 1], got " + coverage);
    }
    Map<Shape, Double> counts = new LinkedHashMap<>();
    for (PodRequest pod : pods) {
      counts.merge(pod.shape(), 1.0, Double::sum);
    }
    return covering(counts, coverage);
  }

  /**
   * The same over weighted shapes (a decayed count of recent pods, say): the heaviest shapes that
   * together carry at least {@code coverage} of the weight, heaviest first (ties in FGD's order,
   * larger shapes first), their weights renormalised to sum to 1.
   */
  public static TargetWorkload covering(Map<Shape, Double> weights, double coverage) {
    if (!(coverage > 0 && coverage <= 1)) {
      throw new IllegalArgumentException("coverage must be in (0, 1], got " + coverage);
    }
    List<Map.Entry<Shape, Double>> popular = new ArrayList<>();
    double sum = 0;
    for (Map.Entry<Shape, Double> entry : weights.entrySet()) {
      if (entry.getValue() > 0) {
        popular.add(entry);
        sum += entry.getValue();
      }
    }
    if (popular.isEmpty()) {
      throw new IllegalArgumentException("no pods to take the target workload from");
    }
    popular.sort(
        Map.Entry.<Shape, Double>comparingByValue()
            .thenComparing(Map.Entry.comparingByKey(Shape.ORDER))
            .reversed());
    double needed = coverage * sum;
    List<Map.Entry<Shape, Double>> kept = new ArrayList<>();
    double covered = 0;
    for (Map.Entry<Shape, Double> entry : popular) {
      // A relative tolerance, so float sums of equal weights still stop where integer counts do.
      if (covered >= needed * (1 - 1e-12)) {
        break;
      }
      kept.add(entry);
      covered += entry.getValue();
    }
    List<Weighted> weighted = new ArrayList<>();
    for (Map.Entry<Shape, Double> entry : kept) {
      weighted.add(new Weighted(entry.getKey(), entry.getValue() / covered));
    }
    return new TargetWorkload(weighted);
  }

  /** A workload of given shapes and weights, for tests and for targets learned elsewhere. */
  public static TargetWorkload of(Map<Shape, Double> weights) {
    double sum = weights.values().stream().mapToDouble(Double::doubleValue).sum();
    List<Weighted> list = new ArrayList<>();
    weights.forEach((shape, weight) -> list.add(new Weighted(shape, weight / sum)));
    list.sort(Comparator.comparingDouble(Weighted::weight).reversed());
    return new TargetWorkload(list);
  }
}
