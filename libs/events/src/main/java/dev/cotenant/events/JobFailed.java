package dev.cotenant.events;

import java.time.Instant;

/** The job ended without success; {@code reason} is a stable code, {@code message} for people. */
public record JobFailed(
    String eventId, Instant time, String tenant, String jobId, String reason, String message)
    implements JobEvent {}
