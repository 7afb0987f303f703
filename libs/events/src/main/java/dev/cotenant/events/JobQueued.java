package dev.cotenant.events;

import java.time.Instant;

/** Placement accepted the job and holds it until its gang fits. */
public record JobQueued(
    String eventId, Instant time, String tenant, String jobId, int position, String reason)
    implements JobEvent {}
