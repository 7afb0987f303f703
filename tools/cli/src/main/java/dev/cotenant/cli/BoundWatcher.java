package dev.cotenant.cli;

import dev.cotenant.events.CloudEventHeaders;
import dev.cotenant.events.EventDeserializer;
import dev.cotenant.events.EventJson;
import dev.cotenant.events.EventType;
import dev.cotenant.events.PodBound;
import dev.cotenant.events.Topics;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Reads {@code cotenant.job-events} from its current end while a load run submits, and tells the
 * tally of every PodBound (job, pod, event id) and when it arrived. Like {@link SubmissionWatcher}
 * it keeps no group and commits nothing. Other event types are skipped by their {@code ce_type}
 * header before any JSON is parsed, and a record that is not a valid event is counted, not fatal.
 */
final class BoundWatcher implements AutoCloseable {
  private static final String POD_BOUND = EventType.POD_BOUND.ceType();

  private final KafkaConsumer<String, byte[]> consumer;
  private final BoundTally tally;
  private final EventDeserializer events = new EventDeserializer();
  private final LongAdder malformed = new LongAdder();
  private final Thread thread;
  private volatile boolean running = true;

  BoundWatcher(String bootstrap, BoundTally tally) {
    this.tally = tally;
    this.consumer = TopicTail.fromEnd(bootstrap, Topics.JOB_EVENTS, "cotenant-load-bound");
    thread = new Thread(this::run, "bound-watcher");
    thread.setDaemon(true);
    thread.start();
  }

  /** Records on the topic that claimed to be a PodBound but could not be read as one. */
  long malformed() {
    return malformed.sum();
  }

  private void run() {
    try {
      while (running) {
        for (var record : consumer.poll(Duration.ofMillis(100))) {
          accept(record, System.nanoTime());
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close(Duration.ofSeconds(2));
    }
  }

  private void accept(ConsumerRecord<String, byte[]> record, long receiveNanos) {
    if (!CloudEventHeaders.read(record.headers(), CloudEventHeaders.TYPE)
        .filter(POD_BOUND::equals)
        .isPresent()) {
      return;
    }
    try {
      if (events.deserialize(record.topic(), record.headers(), record.value())
          instanceof PodBound bound) {
        tally.bound(bound.jobId(), bound.pod(), bound.eventId(), receiveNanos);
      }
    } catch (EventJson.EventFormatException e) {
      malformed.increment();
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    consumer.wakeup();
    thread.join(5_000);
  }
}
