package dev.cotenant.events;

import java.time.Instant;
import java.util.List;

/** The job's gang fits nowhere now; one reason per failing filter. It stays queued. */
public record JobUnschedulable(
    String eventId, Instant time, String tenant, String jobId, List<UnschedulableReason> reasons)
    implements JobEvent {
  public JobUnschedulable {
    reasons = List.copyOf(reasons);
  }
}
