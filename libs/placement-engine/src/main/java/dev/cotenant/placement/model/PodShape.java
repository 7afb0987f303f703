package dev.cotenant.placement.model;

/**
 * What one pod asks for. A GPU share when {@code wholeGpus == 0} and it asks for GPU compute or
 * memory; whole GPUs when {@code wholeGpus >= 1} (then no share fields); CPU-only otherwise.
 *
 * @param cpuMilli CPU request in millicores
 * @param memoryMiB memory request
 * @param wholeGpus number of whole (exclusive) cards
 * @param gpuMilli GPU compute share, 0..1000 of one card
 * @param gpuMemoryMiB GPU memory share, a hard limit on the card
 */
public record PodShape(
    long cpuMilli, long memoryMiB, int wholeGpus, int gpuMilli, long gpuMemoryMiB) {

  public PodShape {
    if (cpuMilli < 0) {
      throw new IllegalArgumentException("cpuMilli must be >= 0, got " + cpuMilli);
    }
    if (memoryMiB < 0) {
      throw new IllegalArgumentException("memoryMiB must be >= 0, got " + memoryMiB);
    }
    if (wholeGpus < 0) {
      throw new IllegalArgumentException("wholeGpus must be >= 0, got " + wholeGpus);
    }
    if (gpuMilli < 0 || gpuMilli > 1000) {
      throw new IllegalArgumentException("gpuMilli must be within 0..1000, got " + gpuMilli);
    }
    if (gpuMemoryMiB < 0) {
      throw new IllegalArgumentException("gpuMemoryMiB must be >= 0, got " + gpuMemoryMiB);
    }
    if (wholeGpus > 0 && (gpuMilli > 0 || gpuMemoryMiB > 0)) {
      throw new IllegalArgumentException(
          "gpuMilli and gpuMemoryMiB must be 0 when wholeGpus >= 1, got gpuMilli "
              + gpuMilli
              + ", gpuMemoryMiB "
              + gpuMemoryMiB);
    }
  }

  public static PodShape cpu(long cpuMilli, long memoryMiB) {
    return new PodShape(cpuMilli, memoryMiB, 0, 0, 0);
  }

  public static PodShape whole(long cpuMilli, long memoryMiB, int gpus) {
    return new PodShape(cpuMilli, memoryMiB, gpus, 0, 0);
  }

  public static PodShape share(long cpuMilli, long memoryMiB, int gpuMilli, long gpuMemoryMiB) {
    return new PodShape(cpuMilli, memoryMiB, 0, gpuMilli, gpuMemoryMiB);
  }

  public boolean isShare() {
    return wholeGpus == 0 && (gpuMilli > 0 || gpuMemoryMiB > 0);
  }

  public boolean isWhole() {
    return wholeGpus > 0;
  }

  public boolean isCpuOnly() {
    return !isShare() && !isWhole();
  }
}
