package dev.cotenant.jobapi.messaging;

import dev.cotenant.events.CotenantEvent;
import dev.cotenant.events.EventDeserializer;
import dev.cotenant.events.JobEvent;
import dev.cotenant.events.Topics;
import dev.cotenant.jobapi.config.ReadModelConfig;
import dev.cotenant.jobapi.repository.JobEventRepository;
import dev.cotenant.jobapi.repository.SchemaMigrator;
import dev.cotenant.jobapi.service.EventFeed;
import dev.cotenant.service.messaging.ConsumerLoop;
import dev.cotenant.service.messaging.KafkaSettings;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * Follows {@code cotenant.job-events} into the read model: one thread, one database transaction per
 * polled batch, offsets committed after it. A plain consumer rather than a messaging channel
 * because a batch is stored in one transaction, and because poison records must reach the
 * dead-letter topic byte for byte: values are read as bytes and turned into events here with
 * libs/events' {@link EventDeserializer}, so a record it rejects is forwarded exactly as it came
 * (headers included, plus the reason) to {@link Topics#deadLetter}.
 *
 * <p>Delivery is at least once (a crash between commit and offset commit replays the batch); the
 * event id de-duplicates, so a replay changes nothing. A database or broker failure re-reads the
 * batch from the committed offsets after a pause, it never dead-letters it.
 */
@Singleton // not proxied: its base class has no no-args constructor
public class JobEventConsumer extends ConsumerLoop<String, byte[]> {
  private static final Logger LOG = Logger.getLogger(JobEventConsumer.class);
  private static final Duration DB_TIMEOUT = Duration.ofSeconds(30);
  public static final String DLQ_REASON = "dead-letter-reason";

  private final JobEventRepository repository;
  private final SchemaMigrator schema;
  private final EventFeed feed;
  private final ReadModelConfig config;
  private final Map<String, Object> kafka;
  private final EventDeserializer deserializer = new EventDeserializer();
  private Producer<String, byte[]> deadLetters;

  public JobEventConsumer(
      JobEventRepository repository,
      SchemaMigrator schema,
      EventFeed feed,
      ReadModelConfig config,
      @Identifier("default-kafka-broker") Map<String, Object> kafka) {
    super(Topics.JOB_EVENTS, "job-events-consumer", config.retryBackoff());
    this.repository = repository;
    this.schema = schema;
    this.feed = feed;
    this.config = config;
    this.kafka = kafka;
  }

  public String deadLetterTopic() {
    return Topics.deadLetter(Topics.JOB_EVENTS, config.group());
  }

  void onStart(@Observes StartupEvent event) {
    if (config.enabled()) {
      start();
    }
  }

  void onStop(@Observes ShutdownEvent event) {
    stop();
    if (deadLetters != null) {
      deadLetters.close(Duration.ofSeconds(2));
    }
  }

  @Override
  protected boolean ready() {
    return schema.migrated(); // no job_event table until then
  }

  @Override
  protected void handle(
      Consumer<String, byte[]> consumer, ConsumerRecords<String, byte[]> records) {
    if (!records.isEmpty()) {
      store(records);
      consumer.commitSync();
    }
  }

  /** Stores the batch's events, dead-letters what is not one, then wakes the SSE streams. */
  private void store(ConsumerRecords<String, byte[]> records) {
    List<JobEvent> events = new ArrayList<>();
    List<ConsumerRecord<String, byte[]>> eventRecords = new ArrayList<>();
    List<DeadLetter> rejected = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> record : records) {
      try {
        events.add(parse(record));
        eventRecords.add(record);
      } catch (RuntimeException e) {
        rejected.add(new DeadLetter(record, String.valueOf(e.getMessage())));
      }
    }
    JobEventRepository.Batch batch =
        events.isEmpty()
            ? new JobEventRepository.Batch(List.of(), 0)
            : repository.store(events).await().atMost(DB_TIMEOUT);
    for (int i = 0; i < batch.outcomes().size(); i++) {
      if (batch.outcomes().get(i) == JobEventRepository.Outcome.NO_TENANT) {
        rejected.add(new DeadLetter(eventRecords.get(i), "no tenant and no known job"));
      }
    }
    deadLetter(rejected);
    if (batch.lastSeq() > 0) {
      feed.stored(batch.lastSeq());
    }
  }

  private JobEvent parse(ConsumerRecord<String, byte[]> record) {
    CotenantEvent event =
        deserializer.deserialize(record.topic(), record.headers(), record.value());
    if (!(event instanceof JobEvent job)) {
      throw new IllegalArgumentException(
          "not a job event: " + (event == null ? "no value" : event.type().ceType()));
    }
    UUID.fromString(job.eventId()); // the history is keyed by it
    if (job.jobId() == null || job.time() == null) {
      throw new IllegalArgumentException("a job event needs a job id and a time");
    }
    return job;
  }

  private record DeadLetter(ConsumerRecord<String, byte[]> record, String reason) {}

  /** Forwards each record as it came, plus the reason; waits for the acks before offsets move. */
  private void deadLetter(List<DeadLetter> letters) {
    if (letters.isEmpty()) {
      return;
    }
    if (deadLetters == null) {
      deadLetters = createProducer();
    }
    List<Future<?>> acks = new ArrayList<>();
    for (DeadLetter letter : letters) {
      ConsumerRecord<String, byte[]> r = letter.record();
      LOG.warnf(
          "job events: %s-%d@%d to %s: %s",
          r.topic(), r.partition(), r.offset(), deadLetterTopic(), letter.reason());
      var out = new ProducerRecord<>(deadLetterTopic(), null, r.key(), r.value(), r.headers());
      out.headers().add(DLQ_REASON, letter.reason().getBytes(StandardCharsets.UTF_8));
      out.headers()
          .add(
              "dead-letter-origin",
              (r.topic() + "-" + r.partition() + "@" + r.offset())
                  .getBytes(StandardCharsets.UTF_8));
      acks.add(deadLetters.send(out));
    }
    for (Future<?> ack : acks) {
      try {
        ack.get(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while dead-lettering", e);
      } catch (Exception e) {
        throw new IllegalStateException("dead-lettering failed: " + e.getMessage(), e);
      }
    }
  }

  @Override
  protected Consumer<String, byte[]> create() {
    Map<String, Object> props = KafkaSettings.forClient(kafka, ConsumerConfig.configNames());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, config.group());
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "job-api-read-model");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.maxBatch());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
  }

  private Producer<String, byte[]> createProducer() {
    Map<String, Object> props = KafkaSettings.forClient(kafka, ProducerConfig.configNames());
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "job-api-read-model-dlq");
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
    return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
  }
}
