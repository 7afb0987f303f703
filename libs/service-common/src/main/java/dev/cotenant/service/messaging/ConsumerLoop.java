package dev.cotenant.service.messaging;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * One plain Kafka consumer of one topic on a thread of its own, for services that store what they
 * read and only then commit the offsets. It polls once {@link #ready()} (e.g. the schema is
 * migrated); a failure (database, broker) closes the consumer and, after {@code retryBackoff}, a
 * new one resumes at the committed offsets, so what was not stored is read again.
 *
 * <p>A subclass makes the consumer and handles each poll; the service starts and stops the loop
 * from its lifecycle events.
 */
public abstract class ConsumerLoop<K, V> {
  private static final Logger LOG = Logger.getLogger(ConsumerLoop.class);
  public static final Duration POLL = Duration.ofMillis(200);
  private static final long JOIN_MS = 5_000;

  private final String topic;
  private final String threadName;
  private final Duration retryBackoff;
  private volatile boolean running;
  private volatile Thread thread;
  private volatile Consumer<K, V> consumer;

  protected ConsumerLoop(String topic, String threadName, Duration retryBackoff) {
    this.topic = topic;
    this.threadName = threadName;
    this.retryBackoff = retryBackoff;
  }

  /** Whether to poll yet; while not, the loop waits one poll interval and asks again. */
  protected abstract boolean ready();

  /** A new consumer: it is subscribed to the topic and resumes at the committed offsets. */
  protected abstract Consumer<K, V> create();

  /** Handles one poll's records (possibly none) and commits what it stored. */
  protected abstract void handle(Consumer<K, V> consumer, ConsumerRecords<K, V> records);

  /** Called after a failure, before a new consumer re-reads from the committed offsets. */
  protected void failed() {}

  public void start() {
    running = true;
    thread = new Thread(this::run, threadName);
    thread.setDaemon(true);
    thread.start();
  }

  /** Wakes the consumer out of its poll and waits (bounded) for the thread to close it. */
  public void stop() {
    running = false;
    Consumer<K, V> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    Thread t = thread;
    if (t != null) {
      try {
        t.join(JOIN_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void run() {
    while (running) {
      if (!ready()) {
        LockSupport.parkNanos(POLL.toNanos());
        continue;
      }
      try {
        if (consumer == null) {
          consumer = create();
          consumer.subscribe(List.of(topic));
        }
        handle(consumer, consumer.poll(POLL));
      } catch (WakeupException e) {
        // stopping
      } catch (RuntimeException e) {
        LOG.warnf("%s: %s; reading again from the committed offsets in %s", topic, e, retryBackoff);
        failed();
        close();
        LockSupport.parkNanos(retryBackoff.toNanos());
      }
    }
    close();
  }

  private void close() {
    Consumer<K, V> c = consumer;
    consumer = null;
    if (c != null) {
      try {
        c.close(Duration.ofSeconds(2));
      } catch (RuntimeException e) {
        LOG.debugf("closing the %s consumer: %s", topic, e.getMessage());
      }
    }
  }
}
