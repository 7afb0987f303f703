package dev.cotenant.profiler.support;

import dev.cotenant.events.CoTenant;
import dev.cotenant.events.GpuRef;
import dev.cotenant.events.GpuSample;
import dev.cotenant.events.PodFinished;
import dev.cotenant.events.PodStarted;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import java.util.UUID;

/** Pod lifecycle and telemetry events as the monitor emits them. */
public final class Events {
  public static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");
  private static final GpuRef GPU0 = new GpuRef(0, "GPU-0");

  private Events() {}

  public static PodStarted started(String app, String pod, String node) {
    return new PodStarted(
        id(), T0, "demo", UUID.randomUUID().toString(), app, pod, node, List.of(GPU0), List.of());
  }

  public static PodFinished finished(
      String app, String pod, PodFinished.Outcome outcome, double runSeconds, CoTenant... with) {
    return new PodFinished(
        id(),
        T0.plusSeconds((long) runSeconds),
        "demo",
        UUID.randomUUID().toString(),
        app,
        pod,
        "node-1",
        List.of(GPU0),
        outcome,
        OptionalInt.of(0),
        T0,
        runSeconds,
        List.of(with));
  }

  public static CoTenant gpu(String app, String pod, double share) {
    return new CoTenant(app, pod, CoTenant.Device.GPU, share);
  }

  public static GpuSample sample(
      String node, int index, long second, double sm, long memoryMiB, String... pods) {
    return new GpuSample(
        id(),
        T0.plusSeconds(second),
        node,
        new GpuRef(index, "GPU-" + index),
        "P100",
        sm,
        sm / 2,
        sm * 100,
        memoryMiB,
        16384,
        List.of(pods));
  }

  private static String id() {
    return UUID.randomUUID().toString();
  }
}
