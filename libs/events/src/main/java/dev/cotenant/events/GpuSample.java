package dev.cotenant.events;

import java.time.Instant;
import java.util.List;

/**
 * One telemetry sample of one GPU, as DCGM reports it (activities are 0-1 ratios), with the pods
 * running on it at that moment. Keyed by node.
 */
public record GpuSample(
    String eventId,
    Instant time,
    String node,
    GpuRef gpu,
    String model,
    double smActivity,
    double dramActivity,
    double utilizationPercent,
    long memoryUsedMiB,
    long memoryTotalMiB,
    List<String> pods)
    implements CotenantEvent {
  public GpuSample {
    pods = List.copyOf(pods);
  }

  @Override
  public String key() {
    return node;
  }
}
