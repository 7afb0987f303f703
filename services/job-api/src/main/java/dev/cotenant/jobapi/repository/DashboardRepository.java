package dev.cotenant.jobapi.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The read model's queries behind the dashboard: recent pod events, a job's decision, job names.
 */
@ApplicationScoped
public class DashboardRepository {
  private static final String COLUMNS = JobEventRepository.COLUMNS;
  static final String SINCE =
      COLUMNS + " where event_time >= $1 and event_type = any($2) order by seq limit $3";
  static final String TENANT_SINCE =
      COLUMNS
          + " where event_time >= $1 and event_type = any($2) and tenant = $4 order by seq limit"
          + " $3";
  static final String LATEST_OF_JOB =
      COLUMNS + " where job_id = $1 and event_type = $2 order by seq desc limit 1";
  static final String LAST_SEQ = "select coalesce(max(seq), 0) from job_event";
  static final String TENANT_LAST_SEQ = LAST_SEQ + " where tenant = $1";
  static final String NAMES = "select id, name from job where id = any($1)";
  static final String TENANT_NAMES = NAMES + " and tenant = $2";
  static final String RUNNING =
      "select id, name, placement, started_at from job where status in ('RUNNING',"
          + " 'CANCEL_REQUESTED') and started_at < $1 order by started_at limit $2";
  static final String TENANT_RUNNING =
      "select id, name, placement, started_at from job where status in ('RUNNING',"
          + " 'CANCEL_REQUESTED') and started_at < $1 and tenant = $3 order by started_at limit $2";

  private final Pool pool;

  public DashboardRepository(Pool pool) {
    this.pool = pool;
  }

  /** Events of the given types since {@code since}, of one tenant (every tenant if empty). */
  public Uni<List<StoredEvent>> since(
      Optional<String> tenant, List<String> types, Instant since, int limit) {
    Tuple params = Tuple.of(since.atOffset(ZoneOffset.UTC), types.toArray(String[]::new), limit);
    tenant.ifPresent(params::addString);
    return pool.preparedQuery(tenant.isPresent() ? TENANT_SINCE : SINCE)
        .execute(params)
        .map(JobEventRepository::events);
  }

  /** The job's latest event of one type (its last decision, say), if it has one. */
  public Uni<Optional<StoredEvent>> latestOfJob(String jobId, String type) {
    return pool.preparedQuery(LATEST_OF_JOB)
        .execute(Tuple.of(jobId, type))
        .map(rows -> JobEventRepository.events(rows).stream().findFirst());
  }

  /** The highest seq stored for the tenant (every tenant if empty): where a live stream resumes. */
  public Uni<Long> lastSeq(Optional<String> tenant) {
    return (tenant.isPresent()
            ? pool.preparedQuery(TENANT_LAST_SEQ).execute(Tuple.of(tenant.get()))
            : pool.preparedQuery(LAST_SEQ).execute())
        .map(rows -> rows.iterator().next().getLong(0));
  }

  /** A job still running that started before a time: its name, pods (PodState JSON), start. */
  public record RunningJob(UUID id, String name, String placement, Instant startedAt) {}

  /**
   * The tenant's (every tenant's if empty) jobs that started before {@code before} and still run.
   */
  public Uni<List<RunningJob>> runningSince(Optional<String> tenant, Instant before, int limit) {
    Tuple params = Tuple.of(before.atOffset(ZoneOffset.UTC), limit);
    tenant.ifPresent(params::addString);
    return pool.preparedQuery(tenant.isPresent() ? TENANT_RUNNING : RUNNING)
        .execute(params)
        .map(
            rows -> {
              List<RunningJob> jobs = new ArrayList<>();
              for (Row row : rows) {
                jobs.add(
                    new RunningJob(
                        row.getUUID("id"),
                        row.getString("name"),
                        row.getString("placement"),
                        JobEventRepository.instant(row.getOffsetDateTime("started_at"))));
              }
              return jobs;
            });
  }

  /** The names of those of the jobs the tenant (every tenant if empty) owns, by id. */
  public Uni<Map<UUID, String>> names(Optional<String> tenant, List<UUID> ids) {
    if (ids.isEmpty()) {
      return Uni.createFrom().item(Map.of());
    }
    Tuple params = Tuple.of(ids.toArray(UUID[]::new));
    tenant.ifPresent(params::addString);
    return pool.preparedQuery(tenant.isPresent() ? TENANT_NAMES : NAMES)
        .execute(params)
        .map(
            rows -> {
              Map<UUID, String> names = new HashMap<>();
              for (Row row : rows) {
                names.put(row.getUUID(0), row.getString(1));
              }
              return names;
            });
  }
}
