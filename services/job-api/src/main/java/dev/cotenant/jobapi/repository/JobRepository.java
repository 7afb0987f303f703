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
