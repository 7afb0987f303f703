package dev.cotenant.cli;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** A consumer of every partition of a topic from its end now, for the load tool's watchers. */
final class TopicTail {
  private TopicTail() {}

  /**
   * Assigned (no group) and positioned at the end offsets before it returns, so nothing published
   * after this call is skipped; records are handed over as soon as any arrive, since their arrival
   * time is what the load tool measures.
   */
  static KafkaConsumer<String, byte[]> fromEnd(String bootstrap, String topic, String client) {
    return assigned(bootstrap, topic, client, true);
  }

  /** As {@link #fromEnd} from the beginning: a compacted topic's latest record per key. */
  static KafkaConsumer<String, byte[]> fromStart(String bootstrap, String topic, String client) {
    return assigned(bootstrap, topic, client, false);
  }

  private static KafkaConsumer<String, byte[]> assigned(
      String bootstrap, String topic, String client, boolean end) {
    KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.CLIENT_ID_CONFIG,
                client + "-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
                20,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                5000),
            new StringDeserializer(),
            new ByteArrayDeserializer());
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic, Duration.ofSeconds(15)).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition()))
            .toList();
    consumer.assign(partitions);
    if (end) {
      consumer.seekToEnd(partitions);
    } else {
      consumer.seekToBeginning(partitions);
    }
    partitions.forEach(consumer::position);
    return consumer;
  }
}
