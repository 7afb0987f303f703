package dev.cotenant.events;

import java.time.Instant;

/** A validated job, published by job-api's outbox to {@link Topics#JOB_SUBMISSIONS}. */
public record JobSubmitted(String eventId, Instant time, String tenant, String jobId, JobSpec spec)
    implements JobEvent {}
