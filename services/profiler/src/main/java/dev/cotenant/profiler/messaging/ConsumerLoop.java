package dev.cotenant.profiler.messaging;

import dev.cotenant.profiler.config.ProfilerConfig;
import dev.cotenant.profiler.repository.ProfilerRepository;
import dev.cotenant.profiler.service.ProfileService;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * One consumer on its own thread, started once the model is loaded. A failure (database, broker)
 * closes the consumer and, after a pause, a new one resumes at the committed offsets: what was not
 * stored is read again, and what was stored is recognised by its event id or watermark.
 */
abstract class ConsumerLoop {
  private static final Logger LOG = Logger.getLogger(ConsumerLoop.class);
  static final Duration POLL = Duration.ofMillis(200);

  final ProfilerRepository repository;
  final ProfileService service;
  final ProfilerConfig config;
  final Map<String, Object> kafka;
  private final String topic;
  private volatile boolean running;
  private volatile Thread thread;
  private volatile Consumer<String, byte[]> consumer;

  /**
   * @param kafka the service's {@code kafka.*} settings (servers, security)
   */
  ConsumerLoop(
      String topic,
      ProfilerRepository repository,
      ProfileService service,
      ProfilerConfig config,
      Map<String, Object> kafka) {
    this.topic = topic;
    this.repository = repository;
    this.service = service;
    this.config = config;
    this.kafka = kafka;
  }

  abstract Consumer<String, byte[]> create();

  /** Handles one poll's records (possibly none) and commits what it stored. */
  abstract void handle(Consumer<String, byte[]> consumer, ConsumerRecords<String, byte[]> records);

  /** Called before a new consumer re-reads from the committed offsets. */
  void failed() {}

  void start(@Observes StartupEvent event) {
    if (config.consume()) {
      running = true;
      thread = new Thread(this::run, topic + "-consumer");
      thread.setDaemon(true);
      thread.start();
    }
  }

  void stop(@Observes ShutdownEvent event) {
    running = false;
    Consumer<String, byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    Thread t = thread;
    if (t != null) {
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void run() {
    while (running) {
      if (!service.ready()) {
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
        LOG.warnf(
            "%s: %s; reading again from the committed offsets in %s",
            topic, e, config.retryBackoff());
        failed();
        close();
        LockSupport.parkNanos(config.retryBackoff().toNanos());
      }
    }
    close();
  }

  private void close() {
    Consumer<String, byte[]> c = consumer;
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
