package dev.cotenant.fragmentation;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What one pod asks for, in the form of Alibaba's openb trace: CPU and memory, and either nothing
 * of a GPU, a share of one card ({@code numGpu} 1, {@code gpuMilli} below 1000) or whole cards
 * ({@code gpuMilli} 1000 on each of {@code numGpu} cards).
 *
 * @param gpuTypes the GPU models the pod accepts ({@code V100M16|V100M32} in the trace); empty for
 *     any. A hard constraint: a node of another model is never a candidate.
 */
public record PodRequest(
    String name, long cpuMilli, long memoryMiB, int numGpu, int gpuMilli, List<String> gpuTypes) {

  /** Milli-GPU of one whole card. */
  public static final int MILLI = 1000;

  /** The most cards one pod may ask for, as the project's cluster files allow per node. */
  public static final int MAX_GPUS = 16;

  public PodRequest {
    Objects.requireNonNull(name, "name");
    gpuTypes = List.copyOf(gpuTypes);
    if (cpuMilli < 0 || memoryMiB < 0) {
      throw new IllegalArgumentException("negative CPU or memory: " + name);
    }
    if (numGpu < 0 || numGpu > MAX_GPUS) {
      throw new IllegalArgumentException("numGpu must be 0 to " + MAX_GPUS + ": " + name);
    }
    if (numGpu == 0 ? gpuMilli != 0 : gpuMilli < 1 || gpuMilli > MILLI) {
      throw new IllegalArgumentException(
          "gpuMilli must be 0 without GPUs and 1 to 1000 with them: " + name);
    }
    if (numGpu > 1 && gpuMilli != MILLI) {
      throw new IllegalArgumentException("a pod of several GPUs takes them whole: " + name);
    }
  }

  /** The models of a {@code gpu_spec} as the openb trace writes it: {@code V100M16|V100M32}. */
  public static List<String> parseGpuSpec(String gpuSpec) {
    return Arrays.stream(gpuSpec.split("\\|"))
        .map(String::strip)
        .filter(t -> !t.isEmpty())
        .toList();
  }

  /** A pod that asks for any GPU model. */
  public static PodRequest of(
      String name, long cpuMilli, long memoryMiB, int numGpu, int gpuMilli) {
    return new PodRequest(name, cpuMilli, memoryMiB, numGpu, gpuMilli, List.of());
  }

  public boolean isCpuOnly() {
    return numGpu == 0;
  }

  /** A share of one card, rather than whole cards or none. */
  public boolean isShare() {
    return numGpu == 1 && gpuMilli < MILLI;
  }

  /** Milli-GPU asked for in all: what the fill protocol counts as arrived demand. */
  public long totalGpuMilli() {
    return (long) numGpu * gpuMilli;
  }

  /** Whether a node of this GPU model may host the pod; CPU-only pods go anywhere. */
  public boolean accepts(String gpuType) {
    return isCpuOnly() || gpuTypes.isEmpty() || gpuTypes.contains(gpuType);
  }

  /** The pod's shape as the fragmentation measure's target workload counts it. */
  public Shape shape() {
    return new Shape(cpuMilli, numGpu, gpuMilli, gpuTypes);
  }

  /** The same request under another name (a pod sampled again by the fill protocol). */
  public PodRequest renamed(String newName) {
    return new PodRequest(newName, cpuMilli, memoryMiB, numGpu, gpuMilli, gpuTypes);
  }
}
