package dev.cotenant.jobapi.messaging;

import dev.cotenant.events.CotenantEvent;
import dev.cotenant.events.EventSerializer;
import dev.cotenant.events.Topics;
import dev.cotenant.jobapi.config.OutboxConfig;
import dev.cotenant.service.messaging.KafkaSettings;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;

/** The relay's Kafka producer: idempotent, acks from all replicas, CloudEvents binary mode. */
final class OutboxProducer {
  private OutboxProducer() {}

  /**
   * @param kafka the service's Kafka configuration ({@code kafka.*} properties: bootstrap servers,
   *     security), of which the producer settings are taken
   */
  static Producer<String, CotenantEvent> create(Map<String, Object> kafka, OutboxConfig config) {
    Map<String, Object> props = KafkaSettings.forClient(kafka, ProducerConfig.configNames());
    int deliveryMs = (int) config.deliveryTimeout().toMillis();
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "job-api-outbox");
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, EventSerializer.class.getName());
    props.put(EventSerializer.SOURCE_CONFIG, config.source());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
    // A batch of outbox rows goes out as few requests; the relay already batches, so 1 ms does.
    props.put(ProducerConfig.LINGER_MS_CONFIG, 1);
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, deliveryMs);
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(10_000, deliveryMs - 1));
    // Without broker metadata send() blocks; bounded so the relay backs off and retries instead.
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
    KafkaProducer<String, CotenantEvent> producer = new KafkaProducer<>(props);
    // Metadata of both topics up front: a send that had to wait for it during an outage would
    // fail after max.block.ms, while one with metadata is buffered and retried until delivered.
    for (String topic : List.of(Topics.JOB_SUBMISSIONS, Topics.JOB_EVENTS)) {
      try {
        producer.partitionsFor(topic);
      } catch (KafkaException e) {
        // the broker is unreachable now; the first send fetches it instead
      }
    }
    return producer;
  }
}
