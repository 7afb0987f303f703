package dev.cotenant.localstack.dcgm;

import dev.cotenant.interference.AppInfo;
import dev.cotenant.localstack.kubelet.NodeKubelet.GpuCard;
import dev.cotenant.localstack.kubelet.NodeKubelet.Tenant;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a card's counters read, derived from what runs on it. Each running pod contributes its app's
 * solo profile (from the ground truth) scaled by its current rate: a pod slowed to 60% by its
 * co-tenant issues 60% of its solo work, so two busy pods fill a card rather than exceed it.
 *
 * <ul>
 *   <li>utilisation = min(100, Σ util × rate); an app the truth does not profile counts as 100%
 *   <li>SM activity = min(1, Σ sm × rate), the app's SM activity alone defaulting to util / 100;
 *       DRAM activity likewise, defaulting to half of that
 *   <li>memory used = Σ min(app's memory alone, what the pod reserved), the reservation when the
 *       truth gives none; free = card memory − used
 *   <li>power = idle + (max − idle) × utilisation / 100, idle and max by GPU model
 * </ul>
 */
public record GpuTelemetry(
    double utilPercent,
    long memoryUsedMiB,
    long memoryFreeMiB,
    double smActive,
    double dramActive,
    double powerWatts) {

  /** Watts idle and at full load for a model name (substring match); otherwise a 300 W card. */
  static double[] power(String model) {
    String m = model.toUpperCase(Locale.ROOT);
    if (m.contains("H100") || m.contains("H200")) {
      return new double[] {70, 700};
    }
    if (m.contains("A100")) {
      return new double[] {50, 400};
    }
    if (m.contains("V100")) {
      return new double[] {40, 300};
    }
    if (m.contains("P100") || m.contains("TITAN") || m.contains("K80")) {
      return new double[] {25, 250};
    }
    if (m.contains("T4")) {
      return new double[] {10, 70};
    }
    return new double[] {40, 300};
  }

  public static GpuTelemetry of(
      GpuCard card, String model, Function<String, Optional<AppInfo>> profiles) {
    double util = 0;
    double sm = 0;
    double dram = 0;
    long used = 0;
    for (Tenant tenant : card.tenants()) {
      AppInfo app = profiles.apply(tenant.app()).orElse(null);
      double appUtil = app == null ? 100 : app.gpuUtilPercent().orElse(100);
      double appSm = app == null ? appUtil / 100 : app.smActivity().orElse(appUtil / 100);
      double appDram = app == null ? appSm / 2 : app.dramActivity().orElse(appSm / 2);
      long memory =
          app == null || app.gpuMemoryMiB().isEmpty()
              ? tenant.reservedMiB()
              : Math.min(tenant.reservedMiB(), Math.round(app.gpuMemoryMiB().getAsDouble()));
      util += appUtil * tenant.rate();
      sm += appSm * tenant.rate();
      dram += appDram * tenant.rate();
      used += memory;
    }
    util = Math.min(100, util);
    used = Math.min(card.memoryMiB(), used);
    double[] watts = power(model);
    return new GpuTelemetry(
        util,
        used,
        card.memoryMiB() - used,
        Math.min(1, sm),
        Math.min(1, dram),
        watts[0] + (watts[1] - watts[0]) * util / 100);
  }
}
