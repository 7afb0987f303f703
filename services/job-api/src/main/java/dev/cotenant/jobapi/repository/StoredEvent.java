package dev.cotenant.jobapi.repository;

import java.time.Instant;

/** A job event as stored in {@code job_event}: {@code seq} is its place in the stream (SSE id). */
public record StoredEvent(
    long seq,
    String eventId,
    String jobId,
    String tenant,
    String type,
    Instant time,
    String payload) {}
