package dev.cotenant.jobapi.support;

import dev.cotenant.events.CotenantEvent;
import dev.cotenant.events.EventDeserializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a topic with a plain consumer and the events library's deserializer. */
public final class Topic {
  private Topic() {}

  /**
   * Every record of {@code topic} matching {@code wanted}, read from the beginning until {@code
   * expected} have arrived and then for {@code settle} more, so a duplicate would be seen.
   */
  public static List<ConsumerRecord<String, CotenantEvent>> read(
      String bootstrap,
      String topic,
      Predicate<ConsumerRecord<String, CotenantEvent>> wanted,
      int expected,
      Duration timeout,
      Duration settle) {
    return read(consumer(bootstrap), topic, wanted, expected, timeout, settle);
  }

  /** Like {@link #read}, with the values as bytes: for records that are not events. */
  public static List<ConsumerRecord<String, byte[]>> readRaw(
      String bootstrap,
      String topic,
      Predicate<ConsumerRecord<String, byte[]>> wanted,
      int expected,
      Duration timeout,
      Duration settle) {
    return read(
        consumer(bootstrap, new ByteArrayDeserializer()), topic, wanted, expected, timeout, settle);
  }

  private static <V> List<ConsumerRecord<String, V>> read(
      KafkaConsumer<String, V> client,
      String topic,
      Predicate<ConsumerRecord<String, V>> wanted,
      int expected,
      Duration timeout,
      Duration settle) {
    List<ConsumerRecord<String, V>> found = new ArrayList<>();
    try (KafkaConsumer<String, V> consumer = client) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + timeout.toNanos();
      long settleUntil = Long.MAX_VALUE;
      while (System.nanoTime() < Math.min(deadline, settleUntil)) {
        for (var record : consumer.poll(Duration.ofMillis(100))) {
          if (wanted.test(record)) {
            found.add(record);
          }
        }
        if (found.size() >= expected && settleUntil == Long.MAX_VALUE) {
          settleUntil = System.nanoTime() + settle.toNanos();
        }
      }
    }
    return found;
  }

  /** The sum of the end offsets of {@code topics}: grows with every record published. */
  public static long endOffsets(String bootstrap, String... topics) {
    try (KafkaConsumer<String, CotenantEvent> consumer = consumer(bootstrap)) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : topics) {
        consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
            .map(p -> new TopicPartition(topic, p.partition()))
            .forEach(partitions::add);
      }
      return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private static KafkaConsumer<String, CotenantEvent> consumer(String bootstrap) {
    return consumer(bootstrap, new EventDeserializer());
  }

  private static <V> KafkaConsumer<String, V> consumer(String bootstrap, Deserializer<V> values) {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ConsumerConfig.GROUP_ID_CONFIG,
            "test-" + UUID.randomUUID(),
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed"),
        new StringDeserializer(),
        values);
  }
}
