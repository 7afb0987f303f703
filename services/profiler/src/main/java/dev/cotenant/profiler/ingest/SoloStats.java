package dev.cotenant.profiler.ingest;

import dev.cotenant.events.GpuSample;
import dev.cotenant.interference.AppInfo;
import java.util.OptionalDouble;

/**
 * The running sums of an app's solo telemetry (samples where it was alone on its GPU): sums, not
 * means, so that aggregates add up and a flush writes absolute values that a replay cannot inflate.
 *
 * @param samples solo samples counted
 * @param sumSm sum of SM activity (0-1 each)
 * @param sumDram sum of DRAM activity (0-1 each)
 * @param sumUtil sum of GPU utilisation (0-100 each)
 * @param maxMemoryMiB the most GPU memory seen in use: what a co-tenant must leave free
 */
public record SoloStats(
    long samples, double sumSm, double sumDram, double sumUtil, long maxMemoryMiB) {

  /** One sample, or {@code null} when a value is outside its range (NaN, negative, > 1). */
  public static SoloStats of(GpuSample s) {
    boolean valid =
        s.smActivity() >= 0
            && s.smActivity() <= 1
            && s.dramActivity() >= 0
            && s.dramActivity() <= 1
            && s.utilizationPercent() >= 0
            && s.utilizationPercent() <= 100
            && s.memoryUsedMiB() >= 0;
    return valid
        ? new SoloStats(
            1, s.smActivity(), s.dramActivity(), s.utilizationPercent(), s.memoryUsedMiB())
        : null;
  }

  public SoloStats plus(SoloStats o) {
    return new SoloStats(
        samples + o.samples,
        sumSm + o.sumSm,
        sumDram + o.sumDram,
        sumUtil + o.sumUtil,
        Math.max(maxMemoryMiB, o.maxMemoryMiB));
  }

  public double meanSm() {
    return clamp(sumSm / samples, 1);
  }

  public double meanDram() {
    return clamp(sumDram / samples, 1);
  }

  public double meanUtilPercent() {
    return clamp(sumUtil / samples, 100);
  }

  /** The model's solo profile of {@code app}; the solo rate is not measured by telemetry. */
  public AppInfo toAppInfo(String app) {
    return new AppInfo(
        app,
        OptionalDouble.empty(),
        OptionalDouble.of(maxMemoryMiB),
        OptionalDouble.of(meanUtilPercent()),
        OptionalDouble.empty(),
        OptionalDouble.of(meanSm()),
        OptionalDouble.of(meanDram()));
  }

  /** The solo profiles of many apps, as the model takes them in one batch. */
  public static java.util.List<AppInfo> toAppInfos(java.util.Map<String, SoloStats> byApp) {
    return byApp.entrySet().stream().map(e -> e.getValue().toAppInfo(e.getKey())).toList();
  }

  /** Sums of values in range can still round a hair past the bound. */
  private static double clamp(double v, double max) {
    return Math.max(0, Math.min(max, v));
  }
}
