package dev.cotenant.events;

import java.time.Instant;

/** A user asked to cancel the job; placement stops it and answers with {@link JobCancelled}. */
public record JobCancelRequested(
    String eventId, Instant time, String tenant, String jobId, String requestedBy)
    implements JobEvent {}
