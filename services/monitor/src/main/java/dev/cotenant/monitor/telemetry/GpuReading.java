package dev.cotenant.monitor.telemetry;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * What one exposition says of one GPU: its identity, the values of the fields it exports (blank
 * DCGM values left out), and the pods dcgm-exporter attributes to it.
 *
 * @param hostname the {@code hostname} label (dcgm-exporter 4.x after the rename), else the older
 *     {@code Hostname}
 * @param values field name (e.g. {@code DCGM_FI_DEV_GPU_UTIL}) to value
 * @param pods {@code namespace/name} of the pods on the card, as the exporter labels them
 * @param timestampMillis the newest timestamp of its lines, when the exposition gives any
 */
public record GpuReading(
    int index,
    String uuid,
    String model,
    Optional<String> hostname,
    Map<String, Double> values,
    List<String> pods,
    OptionalLong timestampMillis) {

  public GpuReading {
    values = Map.copyOf(values);
    pods = List.copyOf(pods);
  }

  public OptionalDouble value(String field) {
    Double v = values.get(field);
    return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
  }
}
