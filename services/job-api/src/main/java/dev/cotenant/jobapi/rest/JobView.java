package dev.cotenant.jobapi.rest;

import dev.cotenant.jobapi.service.PodState;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A job as the API returns it: the spec as submitted and, from the job events, where it got to. The
 * milestone times are null until the job reached them; {@code pods} is empty until placed.
 *
 * @param endpoints in-cluster {@code host:port} addresses of an interactive job's Service, from its
 *     {@code JobPlaced} event; empty until placed, and always for a batch job
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
    List<PodState> pods,
    @Schema(
            description =
                "In-cluster host:port addresses of an interactive job's ClusterIP Service; empty"
                    + " until placed")
        List<String> endpoints) {}
