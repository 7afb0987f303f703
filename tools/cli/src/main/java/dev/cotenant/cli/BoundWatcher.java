package dev.cotenant.cli;

import dev.cotenant.events.CloudEventHeaders;
import dev.cotenant.events.EventDeserializer;
import dev.cotenant.events.EventJson;
import dev.cotenant.events.EventType;
import dev.cotenant.events.PodBound;
import dev.cotenant.events.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

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
    this.consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.CLIENT_ID_CONFIG,
                "cotenant-load-bound-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                // Hand records over as soon as any arrive: the arrival time is what we measure.
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
                20,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                5000),
            new StringDeserializer(),
            new ByteArrayDeserializer());
    List<TopicPartition> partitions =
        consumer.partitionsFor(Topics.JOB_EVENTS, Duration.ofSeconds(15)).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition()))
            .toList();
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    // Resolve the end offsets now, so nothing bound after this returns is skipped.
    partitions.forEach(consumer::position);
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
