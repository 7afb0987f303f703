package dev.cotenant.profiler.messaging;

import dev.cotenant.profiler.config.ProfilerConfig;
import dev.cotenant.profiler.repository.ProfilerRepository;
import dev.cotenant.profiler.service.ProfileService;
import dev.cotenant.service.messaging.ConsumerLoop;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import java.util.Map;

/**
 * One of the profiler's consumers, polling once the model is loaded. A failure (database, broker)
 * closes the consumer and, after a pause, a new one resumes at the committed offsets: what was not
 * stored is read again, and what was stored is recognised by its event id or watermark.
 */
abstract class ProfilerConsumer extends ConsumerLoop<String, byte[]> {
  final ProfilerRepository repository;
  final ProfileService service;
  final ProfilerConfig config;
  final Map<String, Object> kafka;

  /**
   * @param kafka the service's {@code kafka.*} settings (servers, security)
   */
  ProfilerConsumer(
      String topic,
      ProfilerRepository repository,
      ProfileService service,
      ProfilerConfig config,
      Map<String, Object> kafka) {
    super(topic, topic + "-consumer", config.retryBackoff());
    this.repository = repository;
    this.service = service;
    this.config = config;
    this.kafka = kafka;
  }

  @Override
  protected boolean ready() {
    return service.ready();
  }

  void onStart(@Observes StartupEvent event) {
    if (config.consume()) {
      start();
    }
  }

  void onStop(@Observes ShutdownEvent event) {
    stop();
  }
}
