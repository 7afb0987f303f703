package dev.cotenant.events;

import java.time.Instant;
import java.util.List;

/** The Kubernetes Binding of one pod to its node succeeded. */
public record PodBound(
    String eventId,
    Instant time,
    String tenant,
    String jobId,
    String pod,
    String node,
    List<GpuRef> gpus)
    implements JobEvent {
  public PodBound {
    gpus = List.copyOf(gpus);
  }
}
