package dev.cotenant.monitor.service;

import dev.cotenant.monitor.config.MonitorConfig;
import dev.cotenant.monitor.kubernetes.ClusterWatch;
import dev.cotenant.monitor.kubernetes.ExporterDiscovery;
import dev.cotenant.monitor.lifecycle.LifecycleTracker;
import dev.cotenant.monitor.messaging.EventPublisher;
import dev.cotenant.monitor.telemetry.ScrapeTarget;
import dev.cotenant.monitor.telemetry.TargetHealth;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Wires the lifecycle tracker to the informers and the scraper to the exporters, both to one
 * producer. Nothing here blocks startup: while the API server or the broker is away the service is
 * up and not ready, and keeps trying.
 */
@Singleton
public class MonitorService {
  private static final Logger LOG = Logger.getLogger(MonitorService.class);

  private final KubernetesClient client;
  private final MonitorConfig config;
  private final Map<String, Object> kafka;
  private final MeterRegistry metrics;
  private final Tracer tracer;
  private EventPublisher lifecycle;
  private EventPublisher telemetry;
  private LifecycleTracker tracker;
  private volatile ClusterWatch watch;
  private DcgmScraper scraper;
  private volatile boolean stopping;

  public MonitorService(
      KubernetesClient client,
      MonitorConfig config,
      @Identifier("default-kafka-broker") Map<String, Object> kafka,
      MeterRegistry metrics,
      Tracer tracer) {
    this.client = client;
    this.config = config;
    this.kafka = kafka;
    this.metrics = metrics;
    this.tracer = tracer;
  }

  void onStart(@Observes StartupEvent event) {
    Clock clock = Clock.systemUTC();
    lifecycle = new EventPublisher(kafka, config.source(), "monitor-lifecycle", 1);
    telemetry = new EventPublisher(kafka, config.source(), "monitor-telemetry", 5);
    tracker =
        new LifecycleTracker(
            clock,
            config.lifecycle().replayWindow(),
            config.lifecycle().retention(),
            new LifecycleSpans(tracer, lifecycle));
    if (config.lifecycle().enabled()) {
      Thread starter = new Thread(this::watchCluster, "monitor-start");
      starter.setDaemon(true);
      starter.start();
    }
    if (config.dcgm().enabled()) {
      List<ScrapeTarget> targets =
          config.dcgm().targets().orElse(List.of()).stream()
              .filter(s -> !s.isBlank())
              .map(ScrapeTarget::parse)
              .toList();
      ExporterDiscovery discovery =
          config.dcgm().discovery().enabled()
              ? new ExporterDiscovery(client, config.dcgm().discovery())
              : null;
      scraper =
          new DcgmScraper(
              config.dcgm(),
              targets,
              discovery == null ? null : discovery::find,
              tracker,
              new ScrapeSpans(tracer, telemetry),
              clock);
      scraper.start();
    }
    Gauge.builder("cotenant.monitor.pods", tracker, t -> t.counts().pods()).register(metrics);
    Gauge.builder("cotenant.monitor.runs", tracker, t -> t.counts().runs()).register(metrics);
    Gauge.builder("cotenant.monitor.lifecycle.events", tracker, t -> t.counts().finished())
        .tag("type", "finished")
        .register(metrics);
    Gauge.builder("cotenant.monitor.lifecycle.events", tracker, t -> t.counts().started())
        .tag("type", "started")
        .register(metrics);
    if (scraper != null) {
      Gauge.builder("cotenant.monitor.gpu.samples", scraper, s -> s.counts().published())
          .register(metrics);
      Gauge.builder(
              "cotenant.monitor.targets.stale",
              scraper,
              s ->
                  s.health().statuses(java.time.Instant.now()).stream()
                      .filter(t -> t.state() == TargetHealth.State.STALE)
                      .count())
          .register(metrics);
    }
  }

  private void watchCluster() {
    while (!stopping) {
      ClusterWatch w =
          new ClusterWatch(
              client,
              tracker,
              new HashSet<>(config.lifecycle().excludeNamespaces()),
              ExporterDiscovery.selector(config.dcgm().discovery().podSelector()));
      try {
        w.start(config.lifecycle().cacheSyncTimeout());
        watch = w;
        return;
      } catch (IllegalStateException e) {
        LOG.warnf("cluster watch: %s; trying again", e.getMessage());
        w.close();
        try {
          Thread.sleep(config.lifecycle().retryBackoff().toMillis());
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  public LifecycleTracker tracker() {
    return tracker;
  }

  public Optional<DcgmScraper> scraper() {
    return Optional.ofNullable(scraper);
  }

  /** The informers have listed the cluster and the list was replayed. */
  public boolean watching() {
    ClusterWatch w = watch;
    return w != null && w.synced();
  }

  void onStop(@Observes ShutdownEvent event) {
    stopping = true;
    if (scraper != null) {
      scraper.close();
    }
    ClusterWatch w = watch;
    if (w != null) {
      w.close();
    }
    if (lifecycle != null) {
      lifecycle.close();
      telemetry.close();
    }
  }
}
