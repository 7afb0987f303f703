package dev.cotenant.placement.messaging;

import dev.cotenant.events.CloudEventHeaders;
import dev.cotenant.events.CotenantEvent;
import dev.cotenant.events.EventDeserializer;
import dev.cotenant.events.EventType;
import dev.cotenant.events.JobCancelRequested;
import dev.cotenant.events.Topics;
import dev.cotenant.placement.service.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;

/**
 * Cancel requests from {@code cotenant.job-events} (other event types are not placement's to act
 * on). A poll's offsets are committed once the scheduler carried out its cancels; a record that is
 * not an event goes to the dead-letter topic.
 */
public final class CancelConsumer extends JobStreamConsumer {
  private static final long APPLY_TIMEOUT_SECONDS = 30;

  private final EventDeserializer deserializer = new EventDeserializer();

  public CancelConsumer(
      Scheduler scheduler,
      EventPublisher publisher,
      Map<String, Object> kafka,
      String group,
      int maxBatch,
      Duration retryBackoff) {
    super(
        Topics.JOB_EVENTS,
        "placement-cancels",
        scheduler,
        publisher,
        new Settings(kafka, group, maxBatch, retryBackoff));
  }

  @Override
  protected void handle(
      Consumer<String, byte[]> consumer, ConsumerRecords<String, byte[]> records) {
    if (records.isEmpty()) {
      return;
    }
    List<CompletableFuture<Void>> applied = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> record : records) {
      // Most of the topic is other events (placed, bound, started…): only a cancel is parsed.
      Optional<String> type = CloudEventHeaders.read(record.headers(), CloudEventHeaders.TYPE);
      if (type.isPresent()
          && !type.get().equals(EventType.JOB_CANCEL_REQUESTED.ceType())
          && EventType.fromCeType(type.get()).isPresent()) {
        continue;
      }
      CotenantEvent event;
      try {
        event = deserializer.deserialize(record.topic(), record.headers(), record.value());
      } catch (RuntimeException e) {
        deadLetter(record, e.getMessage());
        continue;
      }
      if (event instanceof JobCancelRequested c && c.jobId() != null) {
        applied.add(
            scheduler.cancelRequested(
                c, dev.cotenant.service.tracing.TraceHeaders.of(record.headers())));
      }
    }
    try {
      CompletableFuture.allOf(applied.toArray(CompletableFuture[]::new))
          .get(APPLY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while cancels were applied", e);
    } catch (Exception e) {
      throw new IllegalStateException("cancels not applied: " + e, e);
    }
    consumer.commitSync();
  }
}
