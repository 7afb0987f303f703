package dev.cotenant.cli;

import dev.cotenant.events.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads {@code cotenant.job-submissions} from its current end while a load run submits, and tells
 * the tally each message's key (the job id), receive time and record timestamp. It keeps no group
 * and commits nothing: it only watches. Values are not parsed; the key is the job id.
 */
final class SubmissionWatcher implements AutoCloseable {
  private final KafkaConsumer<String, byte[]> consumer;
  private final LoadTally tally;
  private final Thread thread;
  private volatile boolean running = true;

  SubmissionWatcher(String bootstrap, LoadTally tally) {
    this.tally = tally;
    this.consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.CLIENT_ID_CONFIG,
                "cotenant-load-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                // Hand records over as soon as any arrive: the lag is what we measure.
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
                20,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                5000),
            new StringDeserializer(),
            new ByteArrayDeserializer());
    List<TopicPartition> partitions =
        consumer.partitionsFor(Topics.JOB_SUBMISSIONS, Duration.ofSeconds(15)).stream()
            .map(p -> new TopicPartition(p.topic(), p.partition()))
            .toList();
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    // Resolve the end offsets now, so nothing submitted after this returns is skipped.
    partitions.forEach(consumer::position);
    thread = new Thread(this::run, "submission-watcher");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    try {
      while (running) {
        for (var record : consumer.poll(Duration.ofMillis(100))) {
          long now = System.nanoTime();
          if (record.key() != null) {
            tally.arrived(record.key(), now, record.timestamp());
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close(Duration.ofSeconds(2));
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    consumer.wakeup();
    thread.join(5_000);
  }
}
