package dev.cotenant.placement.messaging;

import dev.cotenant.events.CotenantEvent;
import dev.cotenant.events.EventSerializer;
import dev.cotenant.events.JobEvent;
import dev.cotenant.service.messaging.KafkaSettings;
import dev.cotenant.service.tracing.TraceHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * Emits placement's events to {@code cotenant.job-events} (idempotent, acks from all replicas,
 * CloudEvents binary mode, the job's trace context carried on) and poison records to dead-letter
 * topics.
 */
public final class EventPublisher implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(EventPublisher.class);
  public static final String DLQ_ERROR = "cotenant-dlq-error";

  private final Producer<String, CotenantEvent> events;
  private final Producer<byte[], byte[]> raw;

  public EventPublisher(Map<String, Object> kafka, String source) {
    Map<String, Object> props = KafkaSettings.forClient(kafka, ProducerConfig.configNames());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 1);
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
    props.put(EventSerializer.SOURCE_CONFIG, source);
    Map<String, Object> eventProps = new java.util.HashMap<>(props);
    eventProps.put(ProducerConfig.CLIENT_ID_CONFIG, "placement-events");
    EventSerializer serializer = new EventSerializer();
    serializer.configure(eventProps, false);
    this.events = new KafkaProducer<>(eventProps, new StringSerializer(), serializer);
    Map<String, Object> rawProps = new java.util.HashMap<>(props);
    rawProps.put(ProducerConfig.CLIENT_ID_CONFIG, "placement-dead-letters");
    this.raw = new KafkaProducer<>(rawProps, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** Sends a job's event with the trace context of its placement (none: no header). */
  public Future<RecordMetadata> publish(JobEvent event, TraceHeaders trace) {
    ProducerRecord<String, CotenantEvent> record =
        new ProducerRecord<>(event.type().topic(), event.key(), event);
    trace.addTo(record.headers());
    return events.send(
        record,
        (meta, error) -> {
          if (error != null) {
            LOG.errorf("could not publish %s of job %s: %s", event.type(), event.jobId(), error);
          }
        });
  }

  /** Sends a record placement cannot read to the consumer's dead-letter topic and waits for it. */
  public void deadLetter(String topic, ConsumerRecord<String, byte[]> record, String error) {
    ProducerRecord<byte[], byte[]> copy =
        new ProducerRecord<>(
            topic, null, record.key() == null ? null : bytes(record.key()), record.value());
    for (Header h : record.headers()) {
      copy.headers().add(h);
    }
    copy.headers().add(DLQ_ERROR, bytes(error));
    copy.headers()
        .add(
            "cotenant-dlq-source",
            bytes(record.topic() + "-" + record.partition() + "@" + record.offset()));
    try {
      raw.send(copy).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while dead-lettering", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("could not dead-letter to " + topic + ": " + e.getCause(), e);
    }
  }

  public void flush() {
    events.flush();
  }

  @Override
  public void close() {
    events.close(java.time.Duration.ofSeconds(5));
    raw.close(java.time.Duration.ofSeconds(5));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
