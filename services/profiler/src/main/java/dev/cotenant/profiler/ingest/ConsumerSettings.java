package dev.cotenant.profiler.ingest;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The consumer settings of the profiler's two consumers, in one place so that the ingest benchmark
 * measures with exactly what the service runs. Values are bytes: events are deserialised by the
 * ingest code with libs/events, so a malformed record is counted, not a poll failure.
 */
public final class ConsumerSettings {
  private ConsumerSettings() {}

  /**
   * @param kafka the service's {@code kafka.*} settings (servers, security); keys a consumer does
   *     not know are left out
   */
  public static KafkaConsumer<String, byte[]> consumer(
      Map<String, Object> kafka, String group, String clientId, int maxPollRecords) {
    Map<String, Object> props = new HashMap<>();
    kafka.forEach(
        (key, value) -> {
          if (ConsumerConfig.configNames().contains(key)) {
            props.put(key, value);
          }
        });
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    // Offsets move only after what was read is stored: at-least-once, made exact by event ids.
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    // Telemetry is many small records: fetch at least 64 KiB or 50 ms' worth per request.
    props.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 64 * 1024);
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
    props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * 1024 * 1024);
    return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
  }
}
