package dev.cotenant.fragmentation;

import java.util.Objects;

/** One node as the fill run starts it: empty, with {@code numGpu} cards of one model. */
public record NodeCapacity(String name, long cpuMilli, long memoryMiB, int numGpu, String gpuType) {

  public NodeCapacity {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(gpuType, "gpuType");
    if (cpuMilli < 0 || memoryMiB < 0 || numGpu < 0) {
      throw new IllegalArgumentException("negative capacity: " + name);
    }
  }
}
