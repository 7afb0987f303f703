package dev.cotenant.testsupport;

import dev.cotenant.events.CotenantEvent;
import dev.cotenant.events.EventDeserializer;
import dev.cotenant.events.EventSerializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Cotenant's topics as tests see them: events sent as the other services send them, records read
 * back from the beginning with plain clients and libs/events' serde, and a service's committed
 * offsets. Every method names its broker, so a test may use one of its own.
 */
public final class EventTopics {
  private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration POLL = Duration.ofMillis(100);

  private EventTopics() {}

  /**
   * Sends each event to its topic (CloudEvents binary mode) and waits for the acks.
   *
   * @return per partition written, the offset just past the last record sent there
   */
  public static Map<TopicPartition, Long> send(
      String bootstrap, List<? extends CotenantEvent> events) {
    return send(bootstrap, Map.of(), events);
  }

  /** As {@link #send(String, List)}, each record with these headers (a trace context, say). */
  public static Map<TopicPartition, Long> send(
      String bootstrap, Map<String, String> headers, List<? extends CotenantEvent> events) {
    Map<TopicPartition, Long> past = new HashMap<>();
    try (var producer =
        new KafkaProducer<String, CotenantEvent>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
            new StringSerializer(),
            new EventSerializer())) {
      for (CotenantEvent e : events) {
        var record = new ProducerRecord<String, CotenantEvent>(e.type().topic(), e.key(), e);
        headers.forEach(
            (name, value) ->
                record
                    .headers()
                    .add(name, value.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        var written = producer.send(record).get(10, TimeUnit.SECONDS);
        past.merge(
            new TopicPartition(written.topic(), written.partition()),
            written.offset() + 1,
            Math::max);
      }
    } catch (Exception e) {
      throw new IllegalStateException("cannot send test events", e);
    }
    return past;
  }

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

  /**
   * Every record of {@code topic} matching {@code wanted}, from the beginning up to the end offsets
   * of when it was called (waiting at most 10 s for them).
   */
  public static List<ConsumerRecord<String, CotenantEvent>> readToEnd(
      String bootstrap, String topic, Predicate<ConsumerRecord<String, CotenantEvent>> wanted) {
    List<ConsumerRecord<String, CotenantEvent>> found = new ArrayList<>();
    try (KafkaConsumer<String, CotenantEvent> consumer = consumer(bootstrap)) {
      List<TopicPartition> partitions = fromBeginning(consumer, topic);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
          && System.nanoTime() < deadline) {
        for (var record : consumer.poll(POLL)) {
          if (wanted.test(record)) {
            found.add(record);
          }
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
        partitions.addAll(partitions(consumer, topic));
      }
      return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /**
   * Waits (at most 30 s) until consumer group {@code group} has committed up to {@code offsets}
   * (what {@link #send} returned): the records a test sent, whatever other tests left pending on
   * other partitions.
   */
  public static void awaitConsumed(
      String bootstrap, String group, Map<TopicPartition, Long> offsets) {
    try (Admin admin = admin(bootstrap)) {
      awaitCommitted(admin, group, offsets, offsets.keySet().toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Admin admin(String bootstrap) {
    return Admin.create(
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
            5_000,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
            10_000));
  }

  private static void awaitCommitted(
      Admin admin, String group, Map<TopicPartition, Long> end, String what)
      throws InterruptedException, ExecutionException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      boolean done =
          end.entrySet().stream()
              .allMatch(
                  e ->
                      e.getValue() == 0
                          || (committed.get(e.getKey()) != null
                              && committed.get(e.getKey()).offset() >= e.getValue()));
      if (done) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(group + " did not consume " + what + " to " + end);
      }
      Thread.sleep(50);
    }
  }

  /**
   * Waits (at most 30 s) until consumer group {@code group} has committed past everything now on
   * {@code topic}.
   */
  public static void awaitConsumed(String bootstrap, String group, String topic) {
    try (Admin admin = admin(bootstrap)) {
      List<TopicPartition> partitions =
          admin
              .describeTopics(List.of(topic))
              .allTopicNames()
              .get()
              .get(topic)
              .partitions()
              .stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      Map<TopicPartition, Long> end = new HashMap<>();
      admin
          .listOffsets(
              partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
          .all()
          .get()
          .forEach((p, info) -> end.put(p, info.offset()));
      awaitCommitted(admin, group, end, topic);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    }
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
      fromBeginning(consumer, topic);
      long deadline = System.nanoTime() + timeout.toNanos();
      long settleUntil = Long.MAX_VALUE;
      while (System.nanoTime() < Math.min(deadline, settleUntil)) {
        for (var record : consumer.poll(POLL)) {
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

  /** Assigns every partition of the topic, at its beginning. */
  private static List<TopicPartition> fromBeginning(KafkaConsumer<?, ?> consumer, String topic) {
    List<TopicPartition> partitions = partitions(consumer, topic);
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    return partitions;
  }

  private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
    return consumer.partitionsFor(topic, METADATA_TIMEOUT).stream()
        .map(p -> new TopicPartition(topic, p.partition()))
        .toList();
  }

  private static KafkaConsumer<String, CotenantEvent> consumer(String bootstrap) {
    return consumer(bootstrap, new EventDeserializer());
  }

  /** Reads committed records only, as the services do, and commits nothing. */
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
