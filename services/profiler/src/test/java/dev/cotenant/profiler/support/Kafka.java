package dev.cotenant.profiler.support;

import dev.cotenant.events.CotenantEvent;
import dev.cotenant.events.EventDeserializer;
import dev.cotenant.events.EventSerializer;
import dev.cotenant.testsupport.TestStack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Sends events as the other services do and reads what the profiler published and consumed. */
public final class Kafka {
  private Kafka() {}

  private static String bootstrap() {
    return TestStack.get().kafka().bootstrapServers();
  }

  /** Sends each event (CloudEvents binary mode) and waits for the acks. */
  public static void send(List<? extends CotenantEvent> events) {
    try (var producer =
        new KafkaProducer<String, CotenantEvent>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()),
            new StringSerializer(),
            new EventSerializer())) {
      for (CotenantEvent e : events) {
        producer.send(new ProducerRecord<>(e.type().topic(), e.key(), e)).get(10, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      throw new IllegalStateException("cannot send test events", e);
    }
  }

  /** Every record of {@code topic} from the beginning, with key {@code key}. */
  public static List<ConsumerRecord<String, CotenantEvent>> records(String topic, String key) {
    List<ConsumerRecord<String, CotenantEvent>> found = new ArrayList<>();
    try (var consumer =
        new KafkaConsumer<String, CotenantEvent>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "test-" + UUID.randomUUID()),
            new StringDeserializer(),
            new EventDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
          && System.nanoTime() < deadline) {
        for (var record : consumer.poll(Duration.ofMillis(100))) {
          if (key.equals(record.key())) {
            found.add(record);
          }
        }
      }
    }
    return found;
  }

  /** Waits until the profiler's group has committed past everything now on {@code topic}. */
  public static void awaitConsumed(String topic) {
    try (Admin admin = TestStack.get().kafka().admin()) {
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
      Map<TopicPartition, Long> end = new java.util.HashMap<>();
      admin
          .listOffsets(
              partitions.stream()
                  .collect(java.util.stream.Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
          .all()
          .get()
          .forEach((p, info) -> end.put(p, info.offset()));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (true) {
        Map<TopicPartition, OffsetAndMetadata> committed =
            admin.listConsumerGroupOffsets("profiler").partitionsToOffsetAndMetadata().get();
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
          throw new AssertionError("profiler did not consume " + topic + " to " + end);
        }
        Thread.sleep(50);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }
}
