package dev.cotenant.placement.messaging;

import dev.cotenant.events.CotenantEvent;
import dev.cotenant.events.EventDeserializer;
import dev.cotenant.events.JobSubmitted;
import dev.cotenant.events.Topics;
import dev.cotenant.placement.service.Scheduler;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * {@code cotenant.job-submissions} into the scheduler. A record's offset is committed only once its
 * job's pods exist (or the job ended without any); a record that is not a submission goes to the
 * dead-letter topic and the stream moves on.
 */
public final class SubmissionConsumer extends JobStreamConsumer {
  private final OffsetTracker tracker = new OffsetTracker();
  private final EventDeserializer deserializer = new EventDeserializer();

  public SubmissionConsumer(
      Scheduler scheduler,
      EventPublisher publisher,
      Map<String, Object> kafka,
      String group,
      int maxBatch,
      Duration retryBackoff) {
    super(
        Topics.JOB_SUBMISSIONS,
        "placement-submissions",
        scheduler,
        publisher,
        new Settings(kafka, group, maxBatch, retryBackoff));
  }

  @Override
  protected void handle(
      Consumer<String, byte[]> consumer, ConsumerRecords<String, byte[]> records) {
    for (ConsumerRecord<String, byte[]> record : records) {
      Optional<OffsetTracker.Handle> handle =
          tracker.track(new TopicPartition(record.topic(), record.partition()), record.offset());
      if (handle.isEmpty()) {
        continue; // read again while the first read is still in work
      }
      CotenantEvent event;
      try {
        event = deserializer.deserialize(record.topic(), record.headers(), record.value());
      } catch (RuntimeException e) {
        deadLetter(record, e.getMessage(), handle.get());
        continue;
      }
      if (event instanceof JobSubmitted s
          && s.jobId() != null
          && s.tenant() != null
          && s.spec() != null) {
        scheduler.submitted(
            s, dev.cotenant.service.tracing.TraceHeaders.of(record.headers()), handle.get());
      } else {
        deadLetter(
            record,
            event == null
                ? "an empty record"
                : "not a complete JobSubmitted: " + event.getClass().getSimpleName(),
            handle.get());
      }
    }
    Map<TopicPartition, OffsetAndMetadata> commit = tracker.committable();
    if (!commit.isEmpty()) {
      flushEvents(); // what a done record's work announced is on the broker before its offset
      consumer.commitSync(commit);
      tracker.committed(commit);
    }
  }

  private void deadLetter(
      ConsumerRecord<String, byte[]> record, String error, OffsetTracker.Handle handle) {
    deadLetter(record, error);
    handle.done();
  }

  @Override
  protected void failed() {
    tracker.forgetAll();
  }

  /** Submissions read but not yet done (queued or being written). */
  public int inWork() {
    return tracker.inWork();
  }
}
