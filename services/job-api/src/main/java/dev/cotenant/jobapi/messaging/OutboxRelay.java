package dev.cotenant.jobapi.messaging;

import dev.cotenant.events.CotenantEvent;
import dev.cotenant.events.EventJson;
import dev.cotenant.jobapi.config.OutboxConfig;
import dev.cotenant.jobapi.repository.SchemaMigrator;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.logging.Logger;

/**
 * Publishes committed outbox rows to Kafka and marks them sent, in id order, so a job's events
 * reach its partition in the order they were written.
 *
 * <p>One thread per instance. A commit wakes it at once ({@link #wake()}); a short poll is the
 * safety net for commits of other instances and missed wake-ups. Each round claims a batch with
 * {@code FOR UPDATE SKIP LOCKED} (so several instances share the outbox without sending a row
 * twice), sends the batch, waits for every acknowledgement and marks the batch sent in one
 * statement, all in one transaction. If anything fails the transaction rolls back and the rows are
 * sent again later: delivery is at least once, and consumers de-duplicate on {@code ce_id}, which
 * is the row's stable event id.
 */
@ApplicationScoped
public class OutboxRelay {
  private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
  private static final Duration DB_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration CLEANUP_EVERY = Duration.ofMinutes(1);

  static final String CLAIM =
      "select id, event_id, topic, message_key, event_type, payload, traceparent, tracestate,"
          + " created_at from outbox where sent_at is null order by id limit $1"
          + " for update skip locked";
  static final String MARK_SENT = "update outbox set sent_at = now() where id = any($1)";
  static final String CLEANUP = "delete from outbox where sent_at < $1";

  private final Pool pool;
  private final SchemaMigrator schema;
  private final OutboxConfig config;
  private final Map<String, Object> kafka;
  private final Timer lag;
  private final AtomicBoolean wakeRequested = new AtomicBoolean(true);
  private volatile boolean running;
  private volatile Thread thread;
  private Producer<String, CotenantEvent> producer;
  private long lastCleanup = System.nanoTime();

  public OutboxRelay(
      Pool pool,
      SchemaMigrator schema,
      OutboxConfig config,
      @Identifier("default-kafka-broker") Map<String, Object> kafka,
      MeterRegistry registry) {
    this.pool = pool;
    this.schema = schema;
    this.config = config;
    this.kafka = kafka;
    this.lag =
        Timer.builder("cotenant.outbox.lag")
            .description("From outbox commit to Kafka acknowledgement")
            .publishPercentiles(0.5, 0.99)
            .register(registry);
  }

  void start(@Observes StartupEvent event) {
    if (!config.enabled()) {
      return;
    }
    running = true;
    thread = new Thread(this::run, "outbox-relay");
    thread.setDaemon(true);
    thread.start();
  }

  void stop(@Observes ShutdownEvent event) {
    running = false;
    Thread t = thread;
    if (t != null) {
      LockSupport.unpark(t);
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (producer != null) {
      producer.close(Duration.ofSeconds(2));
    }
  }

  /** A transaction that wrote outbox rows committed: publish them now. */
  public void wake() {
    wakeRequested.set(true);
    Thread t = thread;
    if (t != null) {
      LockSupport.unpark(t);
    }
  }

  private void run() {
    long pollNanos = config.pollInterval().toNanos();
    while (running) {
      if (!wakeRequested.getAndSet(false)) {
        LockSupport.parkNanos(pollNanos);
        wakeRequested.set(false);
      }
      if (!schema.migrated()) {
        continue; // no outbox table yet
      }
      try {
        // A full batch means more may wait: keep going until a short one.
        while (running && drainOnce() == config.batchSize()) {
          // next batch
        }
        cleanupNowAndThen();
      } catch (RuntimeException e) {
        LOG.warnf("outbox relay: %s; retrying in %s", e.getMessage(), config.retryBackoff());
        LockSupport.parkNanos(config.retryBackoff().toNanos());
        wakeRequested.set(true);
      }
    }
  }

  /** One claimed batch: send, await every acknowledgement, mark sent, commit. */
  int drainOnce() {
    SqlConnection connection = pool.getConnection().await().atMost(DB_TIMEOUT);
    Transaction tx = null;
    try {
      tx = connection.begin().await().atMost(DB_TIMEOUT);
      List<Row> rows = new ArrayList<>();
      connection
          .preparedQuery(CLAIM)
          .execute(Tuple.of(config.batchSize()))
          .await()
          .atMost(DB_TIMEOUT)
          .forEach(rows::add);
      if (rows.isEmpty()) {
        tx.commit().await().atMost(DB_TIMEOUT);
        return 0;
      }
      Published published = publish(rows);
      if (!published.ids().isEmpty()) {
        connection
            .preparedQuery(MARK_SENT)
            .execute(Tuple.of((Object) published.ids().toArray(Long[]::new)))
            .await()
            .atMost(DB_TIMEOUT);
      }
      tx.commit().await().atMost(DB_TIMEOUT);
      tx = null;
      long now = System.currentTimeMillis();
      for (Row row : rows) {
        long created = row.getOffsetDateTime("created_at").toInstant().toEpochMilli();
        lag.record(Math.max(0, now - created), TimeUnit.MILLISECONDS);
      }
      if (published.failure() != null) {
        throw published.failure();
      }
      return rows.size();
    } finally {
      if (tx != null) {
        tx.rollback().onFailure().recoverWithNull().await().atMost(DB_TIMEOUT);
      }
      connection.close().await().atMost(DB_TIMEOUT);
    }
  }

  /** The rows Kafka acknowledged, and the first failure if some were not. */
  private record Published(List<Long> ids, RuntimeException failure) {}

  /**
   * Sends every row, then waits for each acknowledgement. Rows that were acknowledged are marked
   * sent even when others failed, so a retry re-sends only what Kafka did not take.
   */
  private Published publish(List<Row> rows) {
    if (producer == null) {
      producer = OutboxProducer.create(kafka, config);
    }
    List<Future<RecordMetadata>> acks = new ArrayList<>(rows.size());
    RuntimeException failure = null;
    for (Row row : rows) {
      CotenantEvent event =
          EventJson.fromBytes(
              row.getString("payload").getBytes(StandardCharsets.UTF_8),
              row.getString("event_type"));
      var record =
          new ProducerRecord<>(row.getString("topic"), row.getString("message_key"), event);
      addHeader(record, "traceparent", row.getString("traceparent"));
      addHeader(record, "tracestate", row.getString("tracestate"));
      try {
        acks.add(producer.send(record));
      } catch (RuntimeException e) {
        failure = e;
        break; // later rows must not overtake this one
      }
    }
    List<Long> acked = new ArrayList<>(acks.size());
    long deadline = System.nanoTime() + config.deliveryTimeout().plusSeconds(5).toNanos();
    for (int i = 0; i < acks.size(); i++) {
      try {
        acks.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        acked.add(rows.get(i).getLong("id"));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failure = new IllegalStateException("interrupted while publishing", e);
        break;
      } catch (Exception e) {
        if (failure == null) {
          failure = new IllegalStateException("publishing failed: " + e.getMessage(), e);
        }
      }
    }
    return new Published(acked, failure);
  }

  private static void addHeader(ProducerRecord<?, ?> record, String name, String value) {
    if (value != null) {
      record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }
  }

  private void cleanupNowAndThen() {
    if (System.nanoTime() - lastCleanup < CLEANUP_EVERY.toNanos()) {
      return;
    }
    lastCleanup = System.nanoTime();
    OffsetDateTime before = OffsetDateTime.now().minus(config.retention());
    pool.preparedQuery(CLEANUP).execute(Tuple.of(before)).await().atMost(DB_TIMEOUT);
  }
}
