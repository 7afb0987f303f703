package dev.cotenant.monitor.support;

import dev.cotenant.events.CotenantEvent;
import dev.cotenant.events.EventDeserializer;
import dev.cotenant.events.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Every event on the job-events and telemetry topics, read from the beginning in the background,
 * each with its record key and when it arrived here.
 */
public final class EventLog implements AutoCloseable {
  /** One record as read. */
  public record Seen(String key, CotenantEvent event, long receivedNanos) {}

  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;

  public EventLog(String bootstrap) {
    thread =
        new Thread(
            () -> {
              try (var consumer =
                  new KafkaConsumer<String, CotenantEvent>(
                      Map.of(
                          ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                          bootstrap,
                          ConsumerConfig.GROUP_ID_CONFIG,
                          "test-log-" + UUID.randomUUID(),
                          ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                          "earliest",
                          ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
                          10),
                      new StringDeserializer(),
                      new EventDeserializer())) {
                consumer.subscribe(List.of(Topics.JOB_EVENTS, Topics.GPU_TELEMETRY));
                while (running) {
                  try {
                    for (var r : consumer.poll(Duration.ofMillis(50))) {
                      seen.add(new Seen(r.key(), r.value(), System.nanoTime()));
                    }
                  } catch (RecordDeserializationException e) {
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                  }
                }
              }
            },
            "monitor-event-log");
    thread.setDaemon(true);
    thread.start();
  }

  public List<Seen> all() {
    return List.copyOf(seen);
  }

  public <T extends CotenantEvent> List<T> of(Class<T> type) {
    return seen.stream().map(Seen::event).filter(type::isInstance).map(type::cast).toList();
  }

  @Override
  public void close() {
    running = false;
    try {
      thread.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
