package dev.cotenant.profiler.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cotenant.interference.learn.Observation;
import dev.cotenant.profiler.ingest.GpuKey;
import dev.cotenant.profiler.ingest.SoloStats;
import dev.cotenant.profiler.ingest.TelemetryIngest;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * All of the profiler's state in PostgreSQL, through Hibernate Reactive. Reads map the tables to
 * entities (only ever read); the writes are native {@code insert … on conflict} statements and
 * multi-row upserts, which say exactly what idempotency means here. Each method is one transaction.
 *
 * <p>The callers (Kafka consumer threads, the publisher, the bootstrap thread, blocking REST
 * workers) wait for the result, mostly off any Vert.x context, while Hibernate Reactive needs a
 * safe one: every transaction runs on a new duplicated context of its own, so the returned {@link
 * Uni} may be awaited from any thread but an event loop.
 */
@ApplicationScoped
public class ProfilerRepository {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Rows per multi-row statement (PostgreSQL takes at most 65,535 parameters per statement). */
  private static final int ROWS_PER_STATEMENT = 1000;

  /** A later event about a pod wins; an older one arriving late does not undo it. */
  static final Upsert UPSERT_POD =
      new Upsert(
          "insert into pod (pod, app, seen_at) values %s on conflict (pod) do update"
              + " set app = excluded.app, seen_at = excluded.seen_at"
              + " where pod.seen_at <= excluded.seen_at",
          "(?, ?, ?)");

  static final String INSERT_OBSERVATION =
      "insert into observation (event_id, app, pod, run_seconds, oom_killed, gpu_shares,"
          + " event_time) values (?, ?, ?, ?, ?, cast(cast(? as text) as jsonb), ?)"
          + " on conflict (event_id) do nothing returning seq";

  static final Upsert UPSERT_SOLO =
      new Upsert(
          "insert into solo_profile (app, samples, sum_sm, sum_dram, sum_util, max_memory_mib,"
              + " updated_at) values %s on conflict (app) do update set"
              + " samples = excluded.samples, sum_sm = excluded.sum_sm,"
              + " sum_dram = excluded.sum_dram, sum_util = excluded.sum_util,"
              + " max_memory_mib = excluded.max_memory_mib, updated_at = excluded.updated_at",
          "(?, ?, ?, ?, ?, ?, now())");

  static final Upsert UPSERT_WATERMARK =
      new Upsert(
          "insert into gpu_watermark (node, gpu_index, sample_time) values %s"
              + " on conflict (node, gpu_index) do update set sample_time = excluded.sample_time",
          "(?, ?, ?)");

  static final String REPLACE_IMPORT =
      "insert into imported_matrix (id, device, body, imported_at) values (?, ?, ?, now())"
          + " on conflict (id) do update set device = excluded.device, body = excluded.body,"
          + " imported_at = excluded.imported_at";

  static final Upsert UPSERT_PUBLISHED =
      new Upsert(
          "insert into published_profile (app, fingerprint, published_at) values %s"
              + " on conflict (app) do update set fingerprint = excluded.fingerprint,"
              + " published_at = excluded.published_at",
          "(?, ?, now())");

  private final Mutiny.SessionFactory sessions;
  private final Vertx vertx;

  public ProfilerRepository(Mutiny.SessionFactory sessions, Vertx vertx) {
    this.sessions = sessions;
    this.vertx = vertx;
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
   * An {@code insert … values %s on conflict … do update} statement and the placeholders of one
   * row. One statement may not update a row twice, so the rows of one call need distinct keys.
   */
  record Upsert(String sql, String row) {
    Uni<Void> run(Mutiny.StatelessSession session, List<List<Object>> rows) {
      List<List<List<Object>>> chunks = new ArrayList<>();
      for (int from = 0; from < rows.size(); from += ROWS_PER_STATEMENT) {
        chunks.add(rows.subList(from, Math.min(rows.size(), from + ROWS_PER_STATEMENT)));
      }
      return Multi.createFrom()
          .iterable(chunks)
          .onItem()
          .transformToUniAndConcatenate(
              chunk -> {
                Mutiny.Query<?> query =
                    session.createNativeQuery(
                        sql.formatted(String.join(", ", Collections.nCopies(chunk.size(), row))));
                int position = 1;
                for (List<Object> values : chunk) {
                  for (Object value : values) {
                    query.setParameter(position++, value);
                  }
                }
                return query.executeUpdate();
              })
          .collect()
          .last()
          .replaceWithVoid();
    }
  }

  /**
   * Stores pod → app facts and the runs, in one transaction; returns the runs stored now, in order
   * (a run whose event id is already stored is left out: it was learned before).
   */
  public Uni<List<FinishedRun>> storeJobEvents(List<PodApp> pods, List<FinishedRun> runs) {
    List<List<Object>> podRows =
        latestPerPod(pods).stream().map(p -> List.<Object>of(p.pod(), p.app(), p.at())).toList();
    return transaction(
        s ->
            UPSERT_POD
                .run(s, podRows)
                .chain(
                    () ->
                        Multi.createFrom()
                            .iterable(runs)
                            .onItem()
                            .transformToUniAndConcatenate(r -> insert(s, r))
                            .collect()
                            .asList()
                            .map(stored -> stored.stream().flatMap(Optional::stream).toList())));
  }

  /**
   * Per pod, the fact that applying all of them one by one with {@link #UPSERT_POD} would leave:
   * the last of those with the latest time (a fact replaces one that is not newer). So a single
   * multi-row statement does what the sequence would.
   */
  static Collection<PodApp> latestPerPod(List<PodApp> pods) {
    return pods.stream()
        .collect(
            Collectors.toMap(
                PodApp::pod,
                p -> p,
                (kept, next) -> next.at().isBefore(kept.at()) ? kept : next,
                LinkedHashMap::new))
        .values();
  }

  private static Uni<Optional<FinishedRun>> insert(Mutiny.StatelessSession s, FinishedRun run) {
    Observation o = run.observation();
    return s.createNativeQuery(INSERT_OBSERVATION, Long.class)
        .setParameter(1, run.eventId())
        .setParameter(2, o.app())
        .setParameter(3, run.pod())
        .setParameter(4, o.runSeconds())
        .setParameter(5, o.oomKilled())
        .setParameter(6, json(o.gpuShares()))
        .setParameter(7, run.time())
        .getResultList()
        .map(seqs -> seqs.isEmpty() ? Optional.empty() : Optional.of(run));
  }

  /** Stores a telemetry flush: the aggregates and the watermarks that say what they include. */
  public Uni<Void> storeTelemetry(TelemetryIngest.Flush flush) {
    List<List<Object>> solo = new ArrayList<>();
    flush
        .apps()
        .forEach(
            (app, s) ->
                solo.add(
                    List.of(
                        app, s.samples(), s.sumSm(), s.sumDram(), s.sumUtil(), s.maxMemoryMiB())));
    List<List<Object>> marks = new ArrayList<>();
    flush.watermarks().forEach((gpu, t) -> marks.add(List.of(gpu.node(), gpu.index(), t)));
    return transaction(s -> UPSERT_SOLO.run(s, solo).chain(() -> UPSERT_WATERMARK.run(s, marks)));
  }

  /** Replaces the imported matrix (the file's text as it was sent). */
  public Uni<Void> replaceImport(String device, String body) {
    return transaction(
        s ->
            s.createNativeQuery(REPLACE_IMPORT)
                .setParameter(1, ImportedMatrixEntity.ID)
                .setParameter(2, device)
                .setParameter(3, body)
                .executeUpdate()
                .replaceWithVoid());
  }

  /** Remembers what was just published per app (app → fingerprint). */
  public Uni<Void> published(Map<String, String> fingerprints) {
    List<List<Object>> rows = new ArrayList<>();
    fingerprints.forEach((app, fingerprint) -> rows.add(List.of(app, fingerprint)));
    return transaction(s -> UPSERT_PUBLISHED.run(s, rows));
  }

  /** Reads everything in one repeatable-read snapshot, observations in the order stored. */
  public Uni<Snapshot> load() {
    return transaction(
        s ->
            s.createNativeQuery("set transaction isolation level repeatable read")
                .executeUpdate()
                .chain(() -> s.get(ImportedMatrixEntity.class, ImportedMatrixEntity.ID))
                .map(imported -> Optional.ofNullable(imported).map(m -> m.body))
                .chain(
                    imported ->
                        all(s, ObservationEntity.class, "order by seq")
                            .map(ProfilerRepository::observations)
                            .chain(
                                observations ->
                                    loadRest(s)
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

  private static Uni<Rest> loadRest(Mutiny.StatelessSession s) {
    Map<String, SoloStats> solo = new HashMap<>();
    Map<GpuKey, Instant> watermarks = new HashMap<>();
    Map<String, String> pods = new HashMap<>();
    Map<String, String> published = new HashMap<>();
    return all(s, SoloProfileEntity.class, "")
        .invoke(
            rows ->
                rows.forEach(
                    r ->
                        solo.put(
                            r.app,
                            new SoloStats(
                                r.samples, r.sumSm, r.sumDram, r.sumUtil, r.maxMemoryMiB))))
        .chain(() -> all(s, GpuWatermarkEntity.class, ""))
        .invoke(
            rows -> rows.forEach(r -> watermarks.put(new GpuKey(r.node, r.gpuIndex), r.sampleTime)))
        .chain(() -> all(s, PodEntity.class, ""))
        .invoke(rows -> rows.forEach(r -> pods.put(r.pod, r.app)))
        .chain(() -> all(s, PublishedProfileEntity.class, ""))
        .invoke(rows -> rows.forEach(r -> published.put(r.app, r.fingerprint)))
        .map(done -> new Rest(solo, watermarks, pods, published));
  }

  /** Every row of an entity's table, in the order {@code orderBy} gives (if any). */
  private static <E> Uni<List<E>> all(Mutiny.StatelessSession s, Class<E> entity, String orderBy) {
    return s.createQuery("from " + entity.getSimpleName() + " " + orderBy, entity).getResultList();
  }

  private static List<Observation> observations(List<ObservationEntity> rows) {
    List<Observation> observations = new ArrayList<>(rows.size());
    for (ObservationEntity r : rows) {
      observations.add(
          new Observation(r.app, r.runSeconds, OptionalDouble.empty(), r.gpuShares, r.oomKilled));
    }
    return observations;
  }

  /**
   * Runs {@code work} in one transaction of a stateless session (the writes are plain statements,
   * the reads want no persistence context), on a new safe duplicated Vert.x context as Hibernate
   * Reactive requires; the caller's thread only waits for the result.
   */
  private <T> Uni<T> transaction(Function<Mutiny.StatelessSession, Uni<T>> work) {
    return Uni.createFrom()
        .emitter(
            emitter -> {
              Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
              VertxContextSafetyToggle.setContextSafe(context, true);
              context.runOnContext(
                  ignored ->
                      sessions
                          .withStatelessTransaction(work)
                          .subscribe()
                          .with(emitter::complete, emitter::fail));
            });
  }

  private static String json(Map<String, Double> shares) {
    try {
      return JSON.writeValueAsString(shares);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unwritable gpu_shares: " + shares, e);
    }
  }
}
