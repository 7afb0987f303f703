package dev.cotenant.monitor.telemetry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Groups dcgm-exporter's series into one {@link GpuReading} per card. The exporter writes one
 * series per field and card, and per pod on a shared card (with {@code pod}, {@code namespace},
 * {@code container} labels, empty when none is attributed); DCGM's blank values, which mean "not
 * supported", "not found" or "no permission" rather than a measurement, are dropped.
 */
public final class DcgmReadings {
  public static final String GPU_UTIL = "DCGM_FI_DEV_GPU_UTIL";
  public static final String MEM_COPY_UTIL = "DCGM_FI_DEV_MEM_COPY_UTIL";
  public static final String FB_USED = "DCGM_FI_DEV_FB_USED";
  public static final String FB_FREE = "DCGM_FI_DEV_FB_FREE";
  public static final String FB_RESERVED = "DCGM_FI_DEV_FB_RESERVED";
  public static final String FB_TOTAL = "DCGM_FI_DEV_FB_TOTAL";
  public static final String SM_ACTIVE = "DCGM_FI_PROF_SM_ACTIVE";
  public static final String GR_ENGINE_ACTIVE = "DCGM_FI_PROF_GR_ENGINE_ACTIVE";
  public static final String DRAM_ACTIVE = "DCGM_FI_PROF_DRAM_ACTIVE";
  public static final String POWER_USAGE = "DCGM_FI_DEV_POWER_USAGE";

  /** The fields a GPU sample is made of; the parser skips every other series. */
  public static final Set<String> FIELDS =
      Set.of(
          GPU_UTIL,
          MEM_COPY_UTIL,
          FB_USED,
          FB_FREE,
          FB_RESERVED,
          FB_TOTAL,
          SM_ACTIVE,
          GR_ENGINE_ACTIVE,
          DRAM_ACTIVE,
          POWER_USAGE);

  /** DCGM_INT32_BLANK (0x7ffffff0): it and the three codes above it are not values. */
  static final double INT32_BLANK = 0x7ffffff0;

  static final double INT32_MAX = Integer.MAX_VALUE;

  /** DCGM_FP64_BLANK (2^47); DCGM_INT64_BLANK (0x7ffffffffffffff0) is above it too. */
  static final double FP64_BLANK = 140737488355328.0;

  private DcgmReadings() {}

  /** Whether a value is one of DCGM's blank codes (or not a finite number at all). */
  public static boolean isBlank(double v) {
    return Double.isNaN(v)
        || Double.isInfinite(v)
        || (v >= INT32_BLANK && v <= INT32_MAX)
        || v >= FP64_BLANK;
  }

  public static List<GpuReading> of(List<PrometheusText.Sample> samples) {
    Map<String, Builder> byGpu = new LinkedHashMap<>();
    for (PrometheusText.Sample s : samples) {
      String gpu = s.labels().get("gpu");
      int index;
      try {
        index = gpu == null ? -1 : Integer.parseInt(gpu.trim());
      } catch (NumberFormatException e) {
        index = -1;
      }
      String uuid = s.labels().getOrDefault("UUID", "");
      if (index < 0 && uuid.isEmpty()) {
        continue; // a series of no card (e.g. an exporter's own metrics)
      }
      Builder b = byGpu.computeIfAbsent(index + "/" + uuid, k -> new Builder());
      b.add(index, uuid, s);
    }
    List<GpuReading> out = new ArrayList<>(byGpu.size());
    for (Builder b : byGpu.values()) {
      out.add(b.build());
    }
    return out;
  }

  private static final class Builder {
    int index;
    String uuid;
    String model = "";
    String hostname;
    String legacyHostname;
    final Map<String, Double> values = new HashMap<>();
    final Set<String> pods = new LinkedHashSet<>();
    long timestamp = Long.MIN_VALUE;

    void add(int index, String uuid, PrometheusText.Sample s) {
      this.index = index;
      this.uuid = uuid;
      Map<String, String> labels = s.labels();
      String m = labels.get("modelName");
      if (m != null && !m.isEmpty()) {
        model = m;
      }
      String h = labels.get("hostname");
      if (h != null && !h.isEmpty()) {
        hostname = h;
      }
      String legacy = labels.get("Hostname");
      if (legacy != null && !legacy.isEmpty()) {
        legacyHostname = legacy;
      }
      String pod = labels.get("pod");
      if (pod != null && !pod.isEmpty()) {
        String ns = labels.getOrDefault("namespace", "");
        pods.add(ns.isEmpty() ? pod : ns + "/" + pod);
      }
      if (!isBlank(s.value())) {
        values.putIfAbsent(s.name(), s.value());
      }
      if (s.timestampMillis().isPresent()) {
        timestamp = Math.max(timestamp, s.timestampMillis().getAsLong());
      }
    }

    GpuReading build() {
      return new GpuReading(
          index,
          uuid,
          model,
          Optional.ofNullable(hostname != null ? hostname : legacyHostname),
          values,
          List.copyOf(pods),
          timestamp == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(timestamp));
    }
  }
}
