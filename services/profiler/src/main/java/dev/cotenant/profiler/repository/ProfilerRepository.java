package dev.cotenant.profiler.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cotenant.interference.learn.Observation;
import dev.cotenant.profiler.ingest.GpuKey;
import dev.cotenant.profiler.ingest.SoloStats;
import dev.cotenant.profiler.ingest.TelemetryIngest;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * All of the profiler's state in PostgreSQL, in plain SQL on the reactive pool: the writes are
 * {@code insert … on conflict} and batched upserts, which say exactly what idempotency means here.
 * Each method is one transaction.
 */
@ApplicationScoped
public class ProfilerRepository {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, Double>> SHARES = new TypeReference<>() {};

  /** A later event about a pod wins; an older one arriving late does not undo it. */
  static final String UPSERT_POD =
      "insert into pod (pod, app, seen_at) values ($1, $2, $3) on conflict (pod) do update"
          + " set app = excluded.app, seen_at = excluded.seen_at"
          + " where pod.seen_at <= excluded.seen_at";

  static final String INSERT_OBSERVATION =
      "insert into observation (event_id, app, pod, run_seconds, oom_killed, gpu_shares,"
          + " event_time) values ($1, $2, $3, $4, $5, $6::jsonb, $7)"
          + " on conflict (event_id) do nothing returning seq";

  static final String UPSERT_SOLO =
      "insert into solo_profile (app, samples, sum_sm, sum_dram, sum_util, max_memory_mib,"
          + " updated_at) values ($1, $2, $3, $4, $5, $6, now()) on conflict (app) do update set"
          + " samples = excluded.samples, sum_sm = excluded.sum_sm, sum_dram = excluded.sum_dram,"
          + " sum_util = excluded.sum_util, max_memory_mib = excluded.max_memory_mib,"
          + " updated_at = excluded.updated_at";

  static final String UPSERT_WATERMARK =
      "insert into gpu_watermark (node, gpu_index, sample_time) values ($1, $2, $3)"
          + " on conflict (node, gpu_index) do update set sample_time = excluded.sample_time";

  static final String REPLACE_IMPORT =
      "insert into imported_matrix (id, device, body, imported_at) values (1, $1, $2, now())"
          + " on conflict (id) do update set device = excluded.device, body = excluded.body,"
          + " imported_at = excluded.imported_at";

  static final String UPSERT_PUBLISHED =
      "insert into published_profile (app, fingerprint, published_at) values ($1, $2, now())"
          + " on conflict (app) do update set fingerprint = excluded.fingerprint,"
          + " published_at = excluded.published_at";

  private final Pool pool;

  public ProfilerRepository(Pool pool) {
    this.pool = pool;
  }

  /** Which app a pod runs, as of {@code at}. */
  public record PodApp(String pod, String app, Instant at) {}

  /** A finished pod to learn from, with the id of the event that reported it. */
  public record FinishedRun(String eventId, String pod, Instant time, Observation observation) {}

  /** Everything the model and the telemetry path are rebuilt from at start. */
  public record Snapshot(
      Optional<String> importedMatrix,
      List<Observation> observations,
      Map<String, SoloStats> solo,
      Map<GpuKey, Instant> watermarks,
      Map<String, String> pods,
      Map<String, String> published) {}

  /**
   * Stores pod → app facts and the runs, in one transaction; returns the runs stored now, in order
   * (a run whose event id is already stored is left out: it was learned before).
   */
  public Uni<List<FinishedRun>> storeJobEvents(List<PodApp> pods, List<FinishedRun> runs) {
    return pool.withTransaction(
        c -> {
          Uni<?> podsStored =
              pods.isEmpty()
                  ? Uni.createFrom().voidItem()
                  : c.preparedQuery(UPSERT_POD)
                      .executeBatch(
                          pods.stream().map(p -> Tuple.of(p.pod(), p.app(), utc(p.at()))).toList());
          return podsStored.chain(
              () ->
                  Multi.createFrom()
                      .iterable(runs)
                      .onItem()
                      .transformToUniAndConcatenate(r -> insert(c, r))
                      .collect()
                      .asList()
                      .map(stored -> stored.stream().flatMap(Optional::stream).toList()));
        });
  }

  private static Uni<Optional<FinishedRun>> insert(SqlConnection c, FinishedRun run) {
    Observation o = run.observation();
    Tuple row =
        Tuple.tuple()
            .addValue(run.eventId())
            .addValue(o.app())
            .addValue(run.pod())
            .addValue(o.runSeconds())
            .addValue(o.oomKilled())
            .addValue(new JsonObject(new HashMap<String, Object>(o.gpuShares())))
            .addValue(utc(run.time()));
    return c.preparedQuery(INSERT_OBSERVATION)
        .execute(row)
        .map(rows -> rows.iterator().hasNext() ? Optional.of(run) : Optional.empty());
  }

  /** Stores a telemetry flush: the aggregates and the watermarks that say what they include. */
  public Uni<Void> storeTelemetry(TelemetryIngest.Flush flush) {
    List<Tuple> solo = new ArrayList<>();
    flush
        .apps()
        .forEach(
            (app, s) ->
                solo.add(
                    Tuple.of(
                        app, s.samples(), s.sumSm(), s.sumDram(), s.sumUtil(), s.maxMemoryMiB())));
    List<Tuple> marks = new ArrayList<>();
    flush.watermarks().forEach((gpu, t) -> marks.add(Tuple.of(gpu.node(), gpu.index(), utc(t))));
    return pool.withTransaction(
        c ->
            (solo.isEmpty()
                    ? Uni.createFrom().voidItem()
                    : c.preparedQuery(UPSERT_SOLO).executeBatch(solo).replaceWithVoid())
                .chain(
                    () ->
                        marks.isEmpty()
                            ? Uni.createFrom().voidItem()
                            : c.preparedQuery(UPSERT_WATERMARK)
                                .executeBatch(marks)
                                .replaceWithVoid()));
  }

  /** Replaces the imported matrix (the file's text as it was sent). */
  public Uni<Void> replaceImport(String device, String body) {
    return pool.withTransaction(
        c -> c.preparedQuery(REPLACE_IMPORT).execute(Tuple.of(device, body)).replaceWithVoid());
  }

  /** Remembers what was just published per app (app → fingerprint). */
  public Uni<Void> published(Map<String, String> fingerprints) {
    List<Tuple> rows = new ArrayList<>();
    fingerprints.forEach((app, fingerprint) -> rows.add(Tuple.of(app, fingerprint)));
    return pool.preparedQuery(UPSERT_PUBLISHED).executeBatch(rows).replaceWithVoid();
  }

  /** Reads everything in one repeatable-read snapshot, observations in the order stored. */
  public Uni<Snapshot> load() {
    return pool.withTransaction(
        c ->
            c.query("set transaction isolation level repeatable read")
                .execute()
                .chain(() -> c.query("select body from imported_matrix where id = 1").execute())
                .map(
                    rows ->
                        rows.iterator().hasNext()
                            ? Optional.of(rows.iterator().next().getString(0))
                            : Optional.<String>empty())
                .chain(
                    imported ->
                        c.query(
                                "select app, run_seconds, oom_killed, gpu_shares::text"
                                    + " from observation order by seq")
                            .execute()
                            .map(rows -> observations(rows))
                            .chain(
                                observations ->
                                    loadRest(c)
                                        .map(
                                            rest ->
                                                new Snapshot(
                                                    imported,
                                                    observations,
                                                    rest.solo(),
                                                    rest.watermarks(),
                                                    rest.pods(),
                                                    rest.published())))));
  }

  private record Rest(
      Map<String, SoloStats> solo,
      Map<GpuKey, Instant> watermarks,
      Map<String, String> pods,
      Map<String, String> published) {}

  private static Uni<Rest> loadRest(SqlConnection c) {
    Map<String, SoloStats> solo = new HashMap<>();
    Map<GpuKey, Instant> watermarks = new HashMap<>();
    Map<String, String> pods = new HashMap<>();
    Map<String, String> published = new HashMap<>();
    return c.query(
            "select app, samples, sum_sm, sum_dram, sum_util, max_memory_mib from solo_profile")
        .execute()
        .invoke(
            rows -> {
              for (Row r : rows) {
                solo.put(
                    r.getString(0),
                    new SoloStats(
                        r.getLong(1),
                        r.getDouble(2),
                        r.getDouble(3),
                        r.getDouble(4),
                        r.getLong(5)));
              }
            })
        .chain(() -> c.query("select node, gpu_index, sample_time from gpu_watermark").execute())
        .invoke(
            rows -> {
              for (Row r : rows) {
                watermarks.put(
                    new GpuKey(r.getString(0), r.getInteger(1)),
                    r.getOffsetDateTime(2).toInstant());
              }
            })
        .chain(() -> c.query("select pod, app from pod").execute())
        .invoke(rows -> rows.forEach(r -> pods.put(r.getString(0), r.getString(1))))
        .chain(() -> c.query("select app, fingerprint from published_profile").execute())
        .invoke(rows -> rows.forEach(r -> published.put(r.getString(0), r.getString(1))))
        .map(done -> new Rest(solo, watermarks, pods, published));
  }

  private static List<Observation> observations(Iterable<Row> rows) {
    List<Observation> observations = new ArrayList<>();
    for (Row r : rows) {
      observations.add(
          new Observation(
              r.getString(0),
              r.getDouble(1),
              OptionalDouble.empty(),
              shares(r.getString(3)),
              r.getBoolean(2)));
    }
    return observations;
  }

  private static Map<String, Double> shares(String json) {
    try {
      return JSON.readValue(json, SHARES);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable gpu_shares: " + json, e);
    }
  }

  private static OffsetDateTime utc(Instant t) {
    return t.atOffset(ZoneOffset.UTC);
  }
}
