package dev.cotenant.cli;

import dev.cotenant.events.Topics;
import java.time.Duration;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;

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
    this.consumer = TopicTail.fromEnd(bootstrap, Topics.JOB_SUBMISSIONS, "cotenant-load");
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
