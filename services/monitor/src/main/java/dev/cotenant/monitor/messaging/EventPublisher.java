package dev.cotenant.monitor.messaging;

import dev.cotenant.events.CotenantEvent;
import dev.cotenant.events.EventSerializer;
import dev.cotenant.service.messaging.KafkaSettings;
import dev.cotenant.service.tracing.TraceHeaders;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * Sends events (CloudEvents binary mode, keyed as each contract says: job id or node) with an
 * idempotent producer, acks from all replicas. The monitor has two: lifecycle events go out at once
 * (1 ms linger), and telemetry, tens of thousands of samples a second, in large batches on its own
 * connection, so that a burst of samples never queues a PodFinished behind it.
 */
public final class EventPublisher implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(EventPublisher.class);

  private final Producer<String, CotenantEvent> producer;
  private final AtomicLong failures = new AtomicLong();

  /**
   * @param lingerMillis how long the producer waits to fill a batch
   */
  public EventPublisher(
      Map<String, Object> kafka, String source, String clientId, int lingerMillis) {
    Map<String, Object> props =
        new HashMap<>(KafkaSettings.forClient(kafka, ProducerConfig.configNames()));
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.LINGER_MS_CONFIG, lingerMillis);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    props.put(EventSerializer.SOURCE_CONFIG, source);
    EventSerializer serializer = new EventSerializer();
    serializer.configure(props, false);
    this.producer = new KafkaProducer<>(props, new StringSerializer(), serializer);
  }

  /**
   * Sends without waiting. The producer retries for two minutes; what still fails is logged and
   * counted: a lost sample is followed by the next scrape's, a lost lifecycle event is sent again
   * with the same id when the monitor restarts.
   */
  public void publish(CotenantEvent event) {
    publish(event, TraceHeaders.NONE);
  }

  /** As {@link #publish(CotenantEvent)}, with the trace context the record carries. */
  public void publish(CotenantEvent event, TraceHeaders trace) {
    ProducerRecord<String, CotenantEvent> record =
        new ProducerRecord<>(event.type().topic(), event.key(), event);
    trace.addTo(record.headers());
    producer.send(
        record,
        (meta, error) -> {
          if (error != null) {
            failures.incrementAndGet();
            LOG.errorf("could not publish %s %s: %s", event.type(), event.eventId(), error);
          }
        });
  }

  public long failures() {
    return failures.get();
  }

  public void flush() {
    producer.flush();
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
