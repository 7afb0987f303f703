package dev.cotenant.jobapi.rest;

import dev.cotenant.jobapi.service.PodState;
import java.time.Instant;
import java.util.List;

/**
 * A job as the API returns it: the spec as submitted and, from the job events, where it got to. The
 * milestone times are null until the job reached them; {@code pods} is empty until placed.
 */
public record JobView(
    String id,
    String tenant,
    String status,
    Instant submittedAt,
    Instant updatedAt,
    String submittedBy,
    JobRequest spec,
    String reason,
    Instant queuedAt,
    Instant placedAt,
    Instant startedAt,
    Instant finishedAt,
    List<PodState> pods) {}
