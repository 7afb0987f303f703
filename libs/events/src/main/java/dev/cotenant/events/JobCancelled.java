package dev.cotenant.events;

import java.time.Instant;

/** The job was stopped before it finished; its pods are gone. */
public record JobCancelled(String eventId, Instant time, String tenant, String jobId, String reason)
    implements JobEvent {}
