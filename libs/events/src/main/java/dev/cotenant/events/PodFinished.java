package dev.cotenant.events;

import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;

/**
 * A pod ended. With its run time and the share of it spent beside each co-tenant it is one
 * interference observation.
 */
public record PodFinished(
    String eventId,
    Instant time,
    String tenant,
    String jobId,
    String app,
    String pod,
    String node,
    List<GpuRef> gpus,
    Outcome outcome,
    OptionalInt exitCode,
    Instant startedAt,
    double runSeconds,
    List<CoTenant> coTenants)
    implements JobEvent {
  public PodFinished {
    gpus = List.copyOf(gpus);
    coTenants = List.copyOf(coTenants);
  }

  public enum Outcome {
    SUCCEEDED,
    FAILED,
    /** Killed for exceeding its memory, on the GPU or the node: seed 001's OOM pairs. */
    OOM_KILLED,
    EVICTED
  }
}
