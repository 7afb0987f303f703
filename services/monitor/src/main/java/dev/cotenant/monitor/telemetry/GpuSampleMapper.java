package dev.cotenant.monitor.telemetry;

import dev.cotenant.events.GpuRef;
import dev.cotenant.events.GpuSample;
import dev.cotenant.monitor.lifecycle.EventIds;
import dev.cotenant.monitor.lifecycle.NodeInfo;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeSet;

/**
 * A {@link GpuReading} as a {@link GpuSample}. dcgm-exporter's default counters leave the profiling
 * fields out ({@code DCGM_FI_PROF_SM_ACTIVE} is commented out in its default CSV, and older
 * defaults have no DCP field at all), so each activity falls back to the nearest field the defaults
 * do export: SM activity to the graphics engine's activity, then to GPU utilisation (the share of
 * time any kernel ran: an upper bound of SM activity); DRAM activity to the memory copy
 * utilisation. A value no field gives is NaN, which the profiler refuses rather than learns.
 */
public final class GpuSampleMapper {
  private GpuSampleMapper() {}

  /**
   * @param node the node the card is on
   * @param time when the values were read
   * @param running the pods the lifecycle knows to run on the card, added to those the exporter
   *     names (it names none where its pod mapping is off or another device plugin assigned them)
   * @return empty when the reading has neither a utilisation nor memory in use: not a sample
   */
  public static Optional<GpuSample> toSample(
      String node, GpuReading r, Instant time, List<String> running, Optional<NodeInfo> info) {
    OptionalDouble util = r.value(DcgmReadings.GPU_UTIL);
    OptionalDouble sm =
        first(r.value(DcgmReadings.SM_ACTIVE), r.value(DcgmReadings.GR_ENGINE_ACTIVE));
    OptionalDouble used = r.value(DcgmReadings.FB_USED);
    if ((util.isEmpty() && sm.isEmpty()) || used.isEmpty()) {
      return Optional.empty();
    }
    double smActivity = sm.isPresent() ? sm.getAsDouble() : util.getAsDouble() / 100;
    double utilPercent = util.isPresent() ? util.getAsDouble() : smActivity * 100;
    OptionalDouble dram = r.value(DcgmReadings.DRAM_ACTIVE);
    OptionalDouble copy = r.value(DcgmReadings.MEM_COPY_UTIL);
    double dramActivity =
        dram.isPresent()
            ? dram.getAsDouble()
            : copy.isPresent() ? copy.getAsDouble() / 100 : Double.NaN;
    long usedMiB = Math.round(used.getAsDouble());
    long totalMiB = total(r, usedMiB, info);
    TreeSet<String> pods = new TreeSet<>(running);
    for (String p : r.pods()) {
      pods.add(p.substring(p.indexOf('/') + 1)); // events name pods without their namespace
    }
    String model = !r.model().isEmpty() ? r.model() : info.flatMap(NodeInfo::gpuModel).orElse("");
    String uuid =
        !r.uuid().isEmpty()
            ? r.uuid()
            : info.map(NodeInfo::gpuUuids)
                .filter(u -> r.index() >= 0 && r.index() < u.size())
                .map(u -> u.get(r.index()))
                .orElse("");
    return Optional.of(
        new GpuSample(
            EventIds.gpuSample(node, r.index(), uuid, time.toEpochMilli()),
            time,
            node,
            new GpuRef(r.index(), uuid),
            model,
            smActivity,
            dramActivity,
            utilPercent,
            usedMiB,
            totalMiB,
            List.copyOf(pods)));
  }

  /** FB_TOTAL, else used + free (+ reserved), else the node's label; 0 when nothing tells. */
  private static long total(GpuReading r, long used, Optional<NodeInfo> info) {
    OptionalDouble total = r.value(DcgmReadings.FB_TOTAL);
    if (total.isPresent()) {
      return Math.round(total.getAsDouble());
    }
    OptionalDouble free = r.value(DcgmReadings.FB_FREE);
    if (free.isPresent()) {
      OptionalDouble reserved = r.value(DcgmReadings.FB_RESERVED);
      return used
          + Math.round(free.getAsDouble())
          + (reserved.isPresent() ? Math.round(reserved.getAsDouble()) : 0);
    }
    return info.map(NodeInfo::gpuMemoryMiB).orElse(0L);
  }

  private static OptionalDouble first(OptionalDouble a, OptionalDouble b) {
    return a.isPresent() ? a : b;
  }
}
