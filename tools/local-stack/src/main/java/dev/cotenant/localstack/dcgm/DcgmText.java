package dev.cotenant.localstack.dcgm;

import dev.cotenant.localstack.kubelet.NodeKubelet.GpuCard;
import dev.cotenant.localstack.kubelet.NodeKubelet.Tenant;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * One node's exporter page in dcgm-exporter's Prometheus text format: its metric names, HELP texts
 * and labels ({@code gpu}, {@code UUID}, {@code pci_bus_id}, {@code device}, {@code modelName},
 * {@code Hostname}, {@code DCGM_FI_DRIVER_VERSION}, then {@code container}, {@code namespace},
 * {@code pod}). As dcgm-exporter does with a shared card, a card with several pods has one series
 * per pod, each with the card's value; an idle card has one series without pod labels.
 */
public final class DcgmText {
  /** The driver the simulated nodes claim, as recent dcgm-exporters label every series. */
  static final String DRIVER_VERSION = "550.54.15";

  private record Metric(
      String name, String help, ToDoubleFunction<GpuTelemetry> value, String format) {}

  private static final List<Metric> METRICS =
      List.of(
          new Metric(
              "DCGM_FI_DEV_GPU_UTIL", "GPU utilization (in %).", GpuTelemetry::utilPercent, "%.0f"),
          new Metric(
              "DCGM_FI_DEV_FB_FREE",
              "Framebuffer memory free (in MiB).",
              t -> t.memoryFreeMiB(),
              "%.0f"),
          new Metric(
              "DCGM_FI_DEV_FB_USED",
              "Framebuffer memory used (in MiB).",
              t -> t.memoryUsedMiB(),
              "%.0f"),
          new Metric(
              "DCGM_FI_DEV_POWER_USAGE", "Power draw (in W).", GpuTelemetry::powerWatts, "%.3f"),
          new Metric(
              "DCGM_FI_PROF_SM_ACTIVE",
              "The ratio of cycles an SM has at least 1 warp assigned.",
              GpuTelemetry::smActive,
              "%.6f"),
          new Metric(
              "DCGM_FI_PROF_DRAM_ACTIVE",
              "Ratio of cycles the device memory interface is active sending or receiving data.",
              GpuTelemetry::dramActive,
              "%.6f"));

  private DcgmText() {}

  /** The page for {@code cards} of {@code hostname}, with each card's telemetry by index. */
  public static String render(
      String hostname, String model, List<GpuCard> cards, List<GpuTelemetry> telemetry) {
    StringBuilder out = new StringBuilder(512 + cards.size() * METRICS.size() * 260);
    for (Metric metric : METRICS) {
      out.append("# HELP ").append(metric.name()).append(' ').append(metric.help()).append('\n');
      out.append("# TYPE ").append(metric.name()).append(" gauge\n");
      for (GpuCard card : cards) {
        String value =
            String.format(
                Locale.ROOT,
                metric.format(),
                metric.value().applyAsDouble(telemetry.get(card.index())));
        String device = deviceLabels(hostname, model, card);
        if (card.tenants().isEmpty()) {
          out.append(metric.name())
              .append('{')
              .append(device)
              .append("} ")
              .append(value)
              .append('\n');
        }
        for (Tenant tenant : card.tenants()) {
          out.append(metric.name())
              .append('{')
              .append(device)
              .append(",container=\"")
              .append(escape(tenant.container()))
              .append("\",namespace=\"")
              .append(escape(tenant.namespace()))
              .append("\",pod=\"")
              .append(escape(tenant.pod()))
              .append("\"} ")
              .append(value)
              .append('\n');
        }
      }
    }
    return out.toString();
  }

  /** PCI bus ids as an 8-GPU server spreads its cards over the root complexes. */
  static String pciBusId(int index) {
    return String.format(Locale.ROOT, "00000000:%02X:00.0", 0x07 + index * 0x10);
  }

  private static String deviceLabels(String hostname, String model, GpuCard card) {
    return "gpu=\""
        + card.index()
        + "\",UUID=\""
        + card.uuid()
        + "\",pci_bus_id=\""
        + pciBusId(card.index())
        + "\",device=\"nvidia"
        + card.index()
        + "\",modelName=\""
        + escape(model)
        + "\",Hostname=\""
        + escape(hostname)
        + "\",DCGM_FI_DRIVER_VERSION=\""
        + DRIVER_VERSION
        + "\"";
  }

  /** Prometheus label value escaping: backslash, quote, newline. */
  static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
