package dev.cotenant.fragmentation;

import java.util.Comparator;
import java.util.List;

/**
 * A pod shape of the target workload: what FGD's "typical pods" keep of a pod (memory is not part
 * of it, as in FGD's simulator, whose openb runs filter on memory but measure fragments by GPU and
 * CPU only).
 */
public record Shape(long cpuMilli, int numGpu, int gpuMilli, List<String> gpuTypes) {

  /**
   * FGD's order of equally popular shapes (CPU, then per-card milli-GPU, then cards, then types),
   * so the 95% cut falls on the same shapes whatever order the trace lists them in.
   */
  static final Comparator<Shape> ORDER =
      Comparator.comparingLong(Shape::cpuMilli)
          .thenComparingInt(Shape::gpuMilli)
          .thenComparingInt(Shape::numGpu)
          .thenComparing(s -> String.join("|", s.gpuTypes()));

  public Shape {
    gpuTypes = List.copyOf(gpuTypes);
  }

  /** The same shape restricted to other GPU models. */
  public Shape withTypes(String... types) {
    return new Shape(cpuMilli, numGpu, gpuMilli, List.of(types));
  }

  public boolean isCpuOnly() {
    return numGpu == 0;
  }

  boolean accepts(String gpuType) {
    return gpuTypes.isEmpty() || gpuTypes.contains(gpuType);
  }
}
