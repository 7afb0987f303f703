package dev.cotenant.jobapi.rest;

import java.time.Instant;

/** A job as the API returns it. */
public record JobView(
    String id,
    String tenant,
    String status,
    Instant submittedAt,
    Instant updatedAt,
    String submittedBy,
    JobRequest spec) {}
