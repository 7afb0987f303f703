package dev.cotenant.jobapi.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.DynamicUpdate;

/** A job row. The spec is the {@code JobSpec} JSON of libs/events, never an API type. */
// Only changed columns are written: the job-events consumer owns the read-model columns.
@DynamicUpdate
@Entity
@Table(name = "job")
public class JobEntity {
  @Id public UUID id;

  @Column(nullable = false)
  public String tenant;

  @Column(nullable = false)
  public String name;

  @Column(nullable = false)
  public String status;

  @Column(nullable = false)
  public String spec;

  @Column(name = "submitted_by", nullable = false)
  public String submittedBy;

  @Column(name = "idempotency_key")
  public String idempotencyKey;

  /** SHA-256 of the validated spec: the same key with another body is a client error. */
  @Column(name = "request_hash")
  public String requestHash;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;

  @Column(name = "updated_at", nullable = false)
  public Instant updatedAt;

  // The read model of job events (messaging.JobEventConsumer writes these; the API only reads).

  @Column(name = "status_at")
  public Instant statusAt;

  public String reason;

  /** The pods as a JSON array of {@code service.PodState}; null until placed. */
  public String placement;

  @Column(name = "queued_at")
  public Instant queuedAt;

  @Column(name = "placed_at")
  public Instant placedAt;

  @Column(name = "started_at")
  public Instant startedAt;

  @Column(name = "finished_at")
  public Instant finishedAt;

  /** The {@code host:port} addresses of the job's Service as a JSON array; null until known. */
  public String endpoints;

  @Column(name = "endpoints_at")
  public Instant endpointsAt;
}
