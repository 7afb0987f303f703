package dev.cotenant.placement.support;

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

/** Every event on {@code cotenant.job-events}, read from the beginning in the background. */
public final class JobEventLog implements AutoCloseable {
  private final List<JobEvent> events = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;

  public JobEventLog(String bootstrap) {
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
                          "earliest"),
                      new StringDeserializer(),
                      new EventDeserializer())) {
                consumer.subscribe(List.of(Topics.JOB_EVENTS));
                while (running) {
                  try {
                    for (var r : consumer.poll(Duration.ofMillis(100))) {
                      if (r.value() instanceof JobEvent e) {
                        events.add(e);
                      }
                    }
                  } catch (RecordDeserializationException e) {
                    // a record a test made malformed on purpose: skip past it
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                  }
                }
              }
            },
            "job-event-log");
    thread.setDaemon(true);
    thread.start();
  }

  public List<JobEvent> of(String jobId) {
    return events.stream().filter(e -> jobId.equals(e.jobId())).toList();
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
