package dev.cotenant.placement.messaging;

import dev.cotenant.service.messaging.KafkaSettings;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The settings of placement's consumers. Values stay bytes: a record that is not an event is a dead
 * letter, not a poll failure.
 */
final class Consumers {
  private Consumers() {}

  static KafkaConsumer<String, byte[]> create(
      Map<String, Object> kafka, String group, String clientId, int maxPollRecords) {
    Map<String, Object> props = KafkaSettings.forClient(kafka, ConsumerConfig.configNames());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    // Offsets move only past records whose work is done: at-least-once, made exact by job ids.
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    // A topic is made by whoever provisions the cluster, with its settings (profiles compacted);
    // a consumer that subscribed first must not make it with the broker's defaults.
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
  }

  /**
   * A consumer of the active replica. Only the leaseholder consumes, so every replica joins as the
   * same static member: a new leader's consumer takes over the partitions of a dead one at once
   * (and fences it), instead of waiting for its session to time out.
   */
  static KafkaConsumer<String, byte[]> active(
      Map<String, Object> kafka, String group, String clientId, int maxPollRecords) {
    Map<String, Object> extra = new java.util.HashMap<>(kafka);
    extra.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, group + "-active");
    extra.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
    return create(extra, group, clientId, maxPollRecords);
  }
}
