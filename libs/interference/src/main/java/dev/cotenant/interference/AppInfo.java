package dev.cotenant.interference;

import java.util.OptionalDouble;

/**
 * What is known about one application when it runs alone on a GPU of the file's device.
 *
 * @param name the profile key (a job's {@code app})
 * @param soloRate work units per second alone (iterations/s, samples/s); informational
 * @param gpuMemoryMiB GPU memory it used alone, when profiled
 * @param gpuUtilPercent average GPU utilisation alone (0-100), when profiled
 * @param cpuMilli CPU it keeps busy alone in millicores (may exceed its request), when profiled
 * @param smActivity DCGM SM activity alone (0-1), when profiled
 * @param dramActivity DCGM DRAM activity alone (0-1), when profiled
 */
public record AppInfo(
    String name,
    OptionalDouble soloRate,
    OptionalDouble gpuMemoryMiB,
    OptionalDouble gpuUtilPercent,
    OptionalDouble cpuMilli,
    OptionalDouble smActivity,
    OptionalDouble dramActivity) {

  /** Without DCGM activities. */
  public AppInfo(
      String name,
      OptionalDouble soloRate,
      OptionalDouble gpuMemoryMiB,
      OptionalDouble gpuUtilPercent,
      OptionalDouble cpuMilli) {
    this(
        name,
        soloRate,
        gpuMemoryMiB,
        gpuUtilPercent,
        cpuMilli,
        OptionalDouble.empty(),
        OptionalDouble.empty());
  }

  public AppInfo {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("app name must not be blank");
    }
    requireNonNegative("soloRate", soloRate);
    requireNonNegative("gpuMemoryMiB", gpuMemoryMiB);
    requireNonNegative("cpuMilli", cpuMilli);
    if (gpuUtilPercent.isPresent()
        && (gpuUtilPercent.getAsDouble() < 0 || gpuUtilPercent.getAsDouble() > 100)) {
      throw new IllegalArgumentException(
          "gpuUtilPercent must be within 0..100, got " + gpuUtilPercent.getAsDouble());
    }
    requireRatio("smActivity", smActivity);
    requireRatio("dramActivity", dramActivity);
  }

  private static void requireRatio(String field, OptionalDouble value) {
    if (value.isPresent() && !(value.getAsDouble() >= 0 && value.getAsDouble() <= 1)) {
      throw new IllegalArgumentException(
          field + " must be within 0..1, got " + value.getAsDouble());
    }
  }

  /** An app known by name only. */
  public static AppInfo named(String name) {
    return new AppInfo(
        name,
        OptionalDouble.empty(),
        OptionalDouble.empty(),
        OptionalDouble.empty(),
        OptionalDouble.empty());
  }

  private static void requireNonNegative(String field, OptionalDouble value) {
    if (value.isPresent() && !(value.getAsDouble() >= 0)) {
      throw new IllegalArgumentException(
          field + " must be a non-negative number, got " + value.getAsDouble());
    }
  }
}
