package dev.cotenant.events;

import java.time.Instant;

/** Every replica of the job succeeded. */
public record JobSucceeded(
    String eventId, Instant time, String tenant, String jobId, double runSeconds)
    implements JobEvent {}
