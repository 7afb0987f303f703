package dev.cotenant.jobapi.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class JobRepository implements PanacheRepositoryBase<JobEntity, UUID> {

  /** Where a page starts: strictly older than this job in (createdAt, id) order. */
  public record Cursor(Instant createdAt, UUID id) {}

  /** A job, only if {@code tenant} owns it (empty tenant: any job, for admins). */
  public Uni<JobEntity> findVisible(UUID id, Optional<String> tenant, boolean forUpdate) {
    return (forUpdate ? findById(id, LockModeType.PESSIMISTIC_WRITE) : findById(id))
        .map(job -> job != null && tenant.map(job.tenant::equals).orElse(true) ? job : null);
  }

  /**
   * The job and its outbox row in one statement (one round trip; the caller's transaction makes
   * them atomic), rather than two ORM inserts and a flush: the submit path's hottest database work.
   * A reused idempotency key fails it with PostgreSQL's unique violation (23505), as before.
   */
  static final String INSERT_JOB_AND_OUTBOX =
      "with job_row as (insert into job (id, tenant, name, status, spec, submitted_by,"
          + " idempotency_key, request_hash, created_at, updated_at)"
          + " values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10))"
          + " insert into outbox (event_id, topic, message_key, event_type, payload, traceparent,"
          + " tracestate) values (?11, ?12, ?13, ?14, ?15, ?16, ?17)";

  public Uni<Void> insertWithOutbox(JobEntity job, OutboxEntity row) {
    return getSession()
        .flatMap(
            session ->
                session
                    .createNativeQuery(INSERT_JOB_AND_OUTBOX)
                    .setParameter(1, job.id)
                    .setParameter(2, job.tenant)
                    .setParameter(3, job.name)
                    .setParameter(4, job.status)
                    .setParameter(5, job.spec)
                    .setParameter(6, job.submittedBy)
                    .setParameter(7, job.idempotencyKey)
                    .setParameter(8, job.requestHash)
                    .setParameter(9, job.createdAt)
                    .setParameter(10, job.updatedAt)
                    .setParameter(11, row.eventId)
                    .setParameter(12, row.topic)
                    .setParameter(13, row.messageKey)
                    .setParameter(14, row.eventType)
                    .setParameter(15, row.payload)
                    .setParameter(16, row.traceparent)
                    .setParameter(17, row.tracestate)
                    .executeUpdate())
        .replaceWithVoid();
  }

  public Uni<JobEntity> findByIdempotencyKey(String tenant, String key) {
    return find("tenant = ?1 and idempotencyKey = ?2", tenant, key).firstResult();
  }

  /** Newest first, keyset-paginated; one row more than {@code limit} tells whether more exist. */
  public Uni<List<JobEntity>> page(
      Optional<String> tenant, Optional<String> status, Optional<Cursor> after, int limit) {
    List<String> where = new ArrayList<>();
    Parameters params = new Parameters();
    tenant.ifPresent(
        t -> {
          where.add("tenant = :tenant");
          params.and("tenant", t);
        });
    status.ifPresent(
        s -> {
          where.add("status = :status");
          params.and("status", s);
        });
    after.ifPresent(
        c -> {
          where.add("(createdAt < :at or (createdAt = :at and id < :id))");
          params.and("at", c.createdAt()).and("id", c.id());
        });
    String query =
        (where.isEmpty() ? "" : "where " + String.join(" and ", where))
            + " order by createdAt desc, id desc";
    return find(query, params).range(0, limit).list();
  }
}
