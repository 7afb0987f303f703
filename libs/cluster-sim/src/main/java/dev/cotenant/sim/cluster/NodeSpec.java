package dev.cotenant.sim.cluster;

import java.util.regex.Pattern;

/**
 * One machine of a simulated cluster: its allocatable CPU and memory and its GPUs, which are all of
 * one model (as on the real nodes we model).
 *
 * @param name Kubernetes node name (a DNS-1123 subdomain)
 * @param cpuMilli allocatable CPU in millicores, positive
 * @param memoryMiB allocatable memory in MiB, positive
 * @param numGpu number of GPUs, 0 to {@value #MAX_GPUS}
 * @param gpuModel GPU model name, {@code ""} when the node has no GPU
 * @param gpuMemoryMiB memory of each GPU in MiB, positive when the node has GPUs and 0 otherwise
 */
public record NodeSpec(
    String name, long cpuMilli, long memoryMiB, int numGpu, String gpuModel, long gpuMemoryMiB) {

  /** Upper bound on GPUs per node; far above real hardware, it catches typos like 40 for 4. */
  public static final int MAX_GPUS = 16;

  /** Kubernetes limits object names such as node names to 253 characters. */
  public static final int MAX_NAME_LENGTH = 253;

  // Kubernetes' own DNS-1123 subdomain pattern, so every simulated node name is a valid node name.
  private static final Pattern NAME =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern GPU_MODEL = Pattern.compile("[A-Za-z0-9._-]+");

  public NodeSpec {
    if (name == null || !isValidName(name)) {
      throw new IllegalArgumentException(
          "name must be a DNS-1123 subdomain of at most "
              + MAX_NAME_LENGTH
              + " characters, got "
              + quoted(name));
    }
    if (cpuMilli <= 0) {
      throw new IllegalArgumentException("cpuMilli must be positive, got " + cpuMilli);
    }
    if (memoryMiB <= 0) {
      throw new IllegalArgumentException("memoryMiB must be positive, got " + memoryMiB);
    }
    if (numGpu < 0 || numGpu > MAX_GPUS) {
      throw new IllegalArgumentException(
          "numGpu must be between 0 and " + MAX_GPUS + ", got " + numGpu);
    }
    if (gpuModel == null) {
      throw new IllegalArgumentException("gpuModel must not be null; use \"\" for no GPU");
    }
    if (numGpu > 0) {
      if (!isValidGpuModel(gpuModel)) {
        throw new IllegalArgumentException(
            "gpuModel must be non-empty letters, digits, '-', '_' or '.' when numGpu > 0, got "
                + quoted(gpuModel));
      }
      if (gpuMemoryMiB <= 0) {
        throw new IllegalArgumentException(
            "gpuMemoryMiB must be positive when numGpu > 0, got " + gpuMemoryMiB);
      }
    } else {
      if (!gpuModel.isEmpty()) {
        throw new IllegalArgumentException(
            "gpuModel must be empty when numGpu is 0, got " + quoted(gpuModel));
      }
      if (gpuMemoryMiB != 0) {
        throw new IllegalArgumentException(
            "gpuMemoryMiB must be 0 when numGpu is 0, got " + gpuMemoryMiB);
      }
    }
  }

  public boolean hasGpus() {
    return numGpu > 0;
  }

  /** Whether {@code name} is acceptable as {@link #name()}. */
  public static boolean isValidName(String name) {
    return name.length() <= MAX_NAME_LENGTH && NAME.matcher(name).matches();
  }

  /** Whether {@code model} is acceptable as {@link #gpuModel()} of a node with GPUs. */
  public static boolean isValidGpuModel(String model) {
    return GPU_MODEL.matcher(model).matches();
  }

  private static String quoted(String s) {
    return s == null ? "null" : "'" + s + "'";
  }
}
