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

  /** A metric and the digits after the point dcgm-exporter prints for it. */
  private record Metric(
      String name, String help, ToDoubleFunction<GpuTelemetry> value, int decimals) {}

  private static final List<Metric> METRICS =
      List.of(
          new Metric(
              "DCGM_FI_DEV_GPU_UTIL", "GPU utilization (in %).", GpuTelemetry::utilPercent, 0),
          new Metric(
              "DCGM_FI_DEV_FB_FREE",
              "Framebuffer memory free (in MiB).",
              t -> t.memoryFreeMiB(),
              0),
          new Metric(
              "DCGM_FI_DEV_FB_USED",
              "Framebuffer memory used (in MiB).",
              t -> t.memoryUsedMiB(),
              0),
          new Metric("DCGM_FI_DEV_POWER_USAGE", "Power draw (in W).", GpuTelemetry::powerWatts, 3),
          new Metric(
              "DCGM_FI_PROF_SM_ACTIVE",
              "The ratio of cycles an SM has at least 1 warp assigned.",
              GpuTelemetry::smActive,
              6),
          new Metric(
              "DCGM_FI_PROF_DRAM_ACTIVE",
              "Ratio of cycles the device memory interface is active sending or receiving data.",
              GpuTelemetry::dramActive,
              6));

  private DcgmText() {}

  /** The page for {@code cards} of {@code hostname}, with each card's telemetry by index. */
  public static String render(
      String hostname, String model, List<GpuCard> cards, List<GpuTelemetry> telemetry) {
    // A thousand pages a second at a 1 s scrape: each card's labels are built once per page, and
    // values are printed without java.util.Formatter (which took most of the exporters' CPU).
    String[] devices = new String[cards.size()];
    for (int i = 0; i < devices.length; i++) {
      devices[i] = deviceLabels(hostname, model, cards.get(i));
    }
    StringBuilder out = new StringBuilder(512 + cards.size() * METRICS.size() * 260);
    for (Metric metric : METRICS) {
      out.append("# HELP ").append(metric.name()).append(' ').append(metric.help()).append('\n');
      out.append("# TYPE ").append(metric.name()).append(" gauge\n");
      for (int i = 0; i < devices.length; i++) {
        GpuCard card = cards.get(i);
        double value = metric.value().applyAsDouble(telemetry.get(card.index()));
        if (card.tenants().isEmpty()) {
          out.append(metric.name()).append('{').append(devices[i]).append("} ");
          appendFixed(out, value, metric.decimals()).append('\n');
        }
        for (Tenant tenant : card.tenants()) {
          out.append(metric.name())
              .append('{')
              .append(devices[i])
              .append(",container=\"")
              .append(escape(tenant.container()))
              .append("\",namespace=\"")
              .append(escape(tenant.namespace()))
              .append("\",pod=\"")
              .append(escape(tenant.pod()))
              .append("\"} ");
          appendFixed(out, value, metric.decimals()).append('\n');
        }
      }
    }
    return out.toString();
  }

  /**
   * {@code value} with {@code decimals} places, as {@code %.Nf} prints it (both round half up; they
   * may differ in the last place where the double is a hair below a half, which no reader sees).
   */
  static StringBuilder appendFixed(StringBuilder out, double value, int decimals) {
    long scale = 1;
    for (int i = 0; i < decimals; i++) {
      scale *= 10;
    }
    if (!Double.isFinite(value) || Math.abs(value) * scale >= Long.MAX_VALUE / 2.0) {
      return out.append(String.format(Locale.ROOT, "%." + decimals + "f", value));
    }
    long scaled = Math.round(Math.abs(value) * scale);
    if (value < 0 && scaled != 0) {
      out.append('-');
    }
    out.append(scaled / scale);
    if (decimals > 0) {
      String fraction = Long.toString(scaled % scale);
      out.append('.');
      for (int i = fraction.length(); i < decimals; i++) {
        out.append('0');
      }
      out.append(fraction);
    }
    return out;
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
    if (value.indexOf('\\') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0) {
      return value;
    }
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
