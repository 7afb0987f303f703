package dev.cotenant.events;

import java.time.Instant;
import java.util.List;

/** A pod's containers are running; lists who it shares its devices with at that moment. */
public record PodStarted(
    String eventId,
    Instant time,
    String tenant,
    String jobId,
    String app,
    String pod,
    String node,
    List<GpuRef> gpus,
    List<CoTenant> coTenants)
    implements JobEvent {
  public PodStarted {
    gpus = List.copyOf(gpus);
    coTenants = List.copyOf(coTenants);
  }
}
