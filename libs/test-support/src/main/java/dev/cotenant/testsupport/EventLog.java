package dev.cotenant.testsupport;

import dev.cotenant.events.CotenantEvent;
import dev.cotenant.events.EventDeserializer;
import dev.cotenant.events.JobEvent;
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
 * Every event on some topics (default: job events), read from the beginning in the background, each
 * with its record key and when it arrived here. A record that is not an event (a test made it
 * malformed on purpose) is skipped.
 */
public final class EventLog implements AutoCloseable {
  /** One record as read. */
  public record Seen(
      String key, CotenantEvent event, long receivedNanos, Map<String, String> headers) {}

  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;

  public EventLog(String bootstrap) {
    this(bootstrap, Topics.JOB_EVENTS);
  }

  public EventLog(String bootstrap, String... topics) {
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
                consumer.subscribe(List.of(topics));
                while (running) {
                  try {
                    for (var r : consumer.poll(Duration.ofMillis(50))) {
                      Map<String, String> headers = new java.util.HashMap<>();
                      r.headers()
                          .forEach(
                              h ->
                                  headers.put(
                                      h.key(),
                                      h.value() == null
                                          ? ""
                                          : new String(
                                              h.value(), java.nio.charset.StandardCharsets.UTF_8)));
                      seen.add(
                          new Seen(r.key(), r.value(), System.nanoTime(), Map.copyOf(headers)));
                    }
                  } catch (RecordDeserializationException e) {
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                  }
                }
              }
            },
            "test-event-log");
    thread.setDaemon(true);
    thread.start();
  }

  public List<Seen> all() {
    return List.copyOf(seen);
  }

  public <T extends CotenantEvent> List<T> of(Class<T> type) {
    return seen.stream().map(Seen::event).filter(type::isInstance).map(type::cast).toList();
  }

  /** The events of one job, in the order read. */
  public List<JobEvent> of(String jobId) {
    return of(JobEvent.class).stream().filter(e -> jobId.equals(e.jobId())).toList();
  }

  public <T extends JobEvent> List<T> of(String jobId, Class<T> type) {
    return of(jobId).stream().filter(type::isInstance).map(type::cast).toList();
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
