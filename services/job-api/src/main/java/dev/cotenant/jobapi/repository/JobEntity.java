package dev.cotenant.jobapi.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A job row. The spec is the {@code JobSpec} JSON of libs/events, never an API type. */
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
}
