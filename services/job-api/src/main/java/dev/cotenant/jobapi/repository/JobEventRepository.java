package dev.cotenant.jobapi.repository;

import dev.cotenant.events.EventJson;
import dev.cotenant.events.JobEvent;
import dev.cotenant.jobapi.mapping.JobMapper;
import dev.cotenant.jobapi.service.JobProjection;
import dev.cotenant.jobapi.service.JobState;
import dev.cotenant.jobapi.service.JobStatus;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The read model's writes (history and job state, in one transaction per consumed batch) and the
 * reads behind the SSE streams. Plain SQL on the reactive pool: the consumer thread owns its
 * transaction, and the SSE reads are single indexed range scans.
 */
@ApplicationScoped
public class JobEventRepository {
  /** Any constant: the advisory lock that orders seq assignment by commit across instances. */
  private static final long SEQ_LOCK = 0x636f74656e616e74L;

  /** What {@link #store} did with one event. */
  public enum Outcome {
    STORED,
    DUPLICATE,
    /** Neither the event nor a known job names a tenant: it cannot be shown to anyone. */
    NO_TENANT
  }

  static final String LOCK = "select pg_advisory_xact_lock(" + SEQ_LOCK + ")";
  static final String LOCK_JOB =
      "select tenant, status, status_at, reason, placement, queued_at, placed_at, started_at,"
          + " finished_at, endpoints, endpoints_at from job where id = $1 for update";
  static final String INSERT =
      "insert into job_event (event_id, job_id, tenant, event_type, event_time, payload)"
          + " values ($1, $2, $3, $4, $5, $6) on conflict (event_id) do nothing returning seq";
  static final String UPDATE =
      "update job set status = $2, status_at = $3, reason = $4, placement = $5, queued_at = $6,"
          + " placed_at = $7, started_at = $8, finished_at = $9, endpoints = $11,"
          + " endpoints_at = $12, updated_at = greatest(updated_at, $10) where id = $1";
  static final String COLUMNS =
      "select seq, event_id, job_id, tenant, event_type, event_time, payload from job_event";
  static final String BY_JOB = COLUMNS + " where job_id = $1 and seq > $2 order by seq limit $3";
  static final String BY_TENANT = COLUMNS + " where tenant = $1 and seq > $2 order by seq limit $3";
  static final String EVERY = COLUMNS + " where seq > $1 order by seq limit $2";
  static final String TENANT_OF = "select tenant from job where id = $1";

  private final Pool pool;

  public JobEventRepository(Pool pool) {
    this.pool = pool;
  }

  /** The outcome of each event, and the highest seq stored (0 if none). */
  public record Batch(List<Outcome> outcomes, long lastSeq) {}

  /**
   * Stores each event once (by event id) and folds the new ones into their job's row, in order, in
   * one transaction.
   */
  public Uni<Batch> store(List<JobEvent> events) {
    return pool.withTransaction(
        connection ->
            connection
                .query(LOCK)
                .execute()
                .chain(
                    () ->
                        Multi.createFrom()
                            .iterable(events)
                            .onItem()
                            .transformToUniAndConcatenate(e -> storeOne(connection, e))
                            .collect()
                            .asList())
                .map(
                    seqs -> {
                      List<Outcome> outcomes = new ArrayList<>(seqs.size());
                      long last = 0;
                      for (long seq : seqs) {
                        outcomes.add(
                            seq > 0
                                ? Outcome.STORED
                                : seq == 0 ? Outcome.DUPLICATE : Outcome.NO_TENANT);
                        last = Math.max(last, seq);
                      }
                      return new Batch(outcomes, last);
                    }));
  }

  /** The seq given to the event; 0 for a duplicate, -1 if it has no tenant. */
  private Uni<Long> storeOne(SqlConnection connection, JobEvent event) {
    Optional<UUID> jobId = uuid(event.jobId());
    Uni<Row> job =
        jobId.isEmpty()
            ? Uni.createFrom().nullItem()
            : connection
                .preparedQuery(LOCK_JOB)
                .execute(Tuple.of(jobId.get()))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next() : null);
    return job.chain(
        row -> {
          // The job's own tenant decides who sees its events, not what an event claims.
          String tenant = row != null ? row.getString("tenant") : event.tenant();
          if (tenant == null) {
            return Uni.createFrom().item(-1L);
          }
          Tuple insert =
              Tuple.of(
                  UUID.fromString(event.eventId()),
                  event.jobId(),
                  tenant,
                  event.type().ceType(),
                  utc(event.time()),
                  new String(EventJson.toBytes(event), StandardCharsets.UTF_8));
          return connection
              .preparedQuery(INSERT)
              .execute(insert)
              .chain(
                  inserted -> {
                    if (!inserted.iterator().hasNext()) {
                      return Uni.createFrom().item(0L); // seen before: changes nothing
                    }
                    long seq = inserted.iterator().next().getLong(0);
                    if (row == null) {
                      return Uni.createFrom().item(seq);
                    }
                    JobState before = state(row);
                    JobState after = JobProjection.apply(before, event);
                    if (after.equals(before)) {
                      return Uni.createFrom().item(seq);
                    }
                    return connection
                        .preparedQuery(UPDATE)
                        .execute(update(jobId.get(), after, event.time()))
                        .replaceWith(seq);
                  });
        });
  }

  /** Up to {@code limit} events of one job after {@code afterSeq}, in seq order. */
  public Uni<List<StoredEvent>> ofJob(String jobId, long afterSeq, int limit) {
    return read(BY_JOB, Tuple.of(jobId, afterSeq, limit));
  }

  /** Up to {@code limit} events of a tenant (every tenant if empty) after {@code afterSeq}. */
  public Uni<List<StoredEvent>> ofTenant(Optional<String> tenant, long afterSeq, int limit) {
    return tenant
        .map(t -> read(BY_TENANT, Tuple.of(t, afterSeq, limit)))
        .orElseGet(() -> read(EVERY, Tuple.of(afterSeq, limit)));
  }

  /** The tenant that owns a job, if the job exists. */
  public Uni<Optional<String>> tenantOf(UUID jobId) {
    return pool.preparedQuery(TENANT_OF)
        .execute(Tuple.of(jobId))
        .map(
            rows ->
                rows.iterator().hasNext()
                    ? Optional.of(rows.iterator().next().getString(0))
                    : Optional.empty());
  }

  private Uni<List<StoredEvent>> read(String sql, Tuple params) {
    return pool.preparedQuery(sql).execute(params).map(JobEventRepository::events);
  }

  static List<StoredEvent> events(RowSet<Row> rows) {
    List<StoredEvent> events = new ArrayList<>(rows.size());
    for (Row row : rows) {
      events.add(
          new StoredEvent(
              row.getLong("seq"),
              row.getUUID("event_id").toString(),
              row.getString("job_id"),
              row.getString("tenant"),
              row.getString("event_type"),
              instant(row.getOffsetDateTime("event_time")),
              row.getString("payload")));
    }
    return events;
  }

  private static JobState state(Row row) {
    return new JobState(
        JobStatus.valueOf(row.getString("status")),
        instant(row.getOffsetDateTime("status_at")),
        row.getString("reason"),
        JobMapper.pods(row.getString("placement")),
        instant(row.getOffsetDateTime("queued_at")),
        instant(row.getOffsetDateTime("placed_at")),
        instant(row.getOffsetDateTime("started_at")),
        instant(row.getOffsetDateTime("finished_at")),
        JobMapper.endpoints(row.getString("endpoints")),
        instant(row.getOffsetDateTime("endpoints_at")));
  }

  private static Tuple update(UUID id, JobState s, Instant eventTime) {
    // addValue, not Tuple.of: most columns are null until the job gets that far.
    return Tuple.tuple()
        .addValue(id)
        .addValue(s.status().name())
        .addValue(utc(s.statusAt()))
        .addValue(s.reason())
        .addValue(JobMapper.podsJson(s.pods()))
        .addValue(utc(s.queuedAt()))
        .addValue(utc(s.placedAt()))
        .addValue(utc(s.startedAt()))
        .addValue(utc(s.finishedAt()))
        .addValue(utc(eventTime))
        .addValue(JobMapper.endpointsJson(s.endpoints()))
        .addValue(utc(s.endpointsAt()));
  }

  private static OffsetDateTime utc(Instant t) {
    return t == null ? null : t.atOffset(ZoneOffset.UTC);
  }

  static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }

  private static Optional<UUID> uuid(String id) {
    try {
      return Optional.of(UUID.fromString(id));
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // a foreign pod group, not a job submitted here
    }
  }
}
