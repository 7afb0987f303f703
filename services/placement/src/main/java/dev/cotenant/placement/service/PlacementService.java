package dev.cotenant.placement.service;

import dev.cotenant.interference.InterferenceFile;
import dev.cotenant.interference.InterferenceMatrix;
import dev.cotenant.interference.MatrixModel;
import dev.cotenant.placement.EngineConfig;
import dev.cotenant.placement.PlacementEngine;
import dev.cotenant.placement.config.PlacementConfig;
import dev.cotenant.placement.kubernetes.ClusterCache;
import dev.cotenant.placement.kubernetes.KubernetesWriter;
import dev.cotenant.placement.kubernetes.Leadership;
import dev.cotenant.placement.mapping.ProfileModel;
import dev.cotenant.placement.messaging.CancelConsumer;
import dev.cotenant.placement.messaging.EventPublisher;
import dev.cotenant.placement.messaging.ProfileConsumer;
import dev.cotenant.placement.messaging.SubmissionConsumer;
import dev.cotenant.placement.state.ClusterState;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Wires the scheduler to Kubernetes and Kafka and runs it: the informers list the cluster, this
 * replica waits for the lease (when leader election is on), then the consumers start feeding it.
 * Nothing here blocks startup: while the API server or the broker is away the service is up and not
 * ready, and keeps trying.
 */
@Singleton
public class PlacementService {
  private static final Logger LOG = Logger.getLogger(PlacementService.class);

  private final KubernetesClient client;
  private final PlacementConfig config;
  private final Map<String, Object> kafka;
  private final MeterRegistry metrics;
  private final Tracer tracer;
  private Scheduler scheduler;
  private ClusterCache cache;
  private Leadership leadership;
  private EventPublisher publisher;
  private ExecutorService writers;
  private List<dev.cotenant.service.messaging.ConsumerLoop<?, ?>> consumers = List.of();
  private volatile boolean stopping;

  public PlacementService(
      KubernetesClient client,
      PlacementConfig config,
      @Identifier("default-kafka-broker") Map<String, Object> kafka,
      MeterRegistry metrics,
      Tracer tracer) {
    this.metrics = metrics;
    this.tracer = tracer;
    this.client = client;
    this.config = config;
    this.kafka = kafka;
  }

  void onStart(@Observes StartupEvent event) {
    InterferenceMatrix base =
        config.interferenceFile().map(InterferenceFile::read).orElse(MatrixModel.empty().matrix());
    EngineConfig engineConfig =
        new EngineConfig(
            config.defaultPolicy(),
            config.podStartSeconds(),
            config.topCandidates(),
            config.uncertaintyPenalty());
    PlacementEngine engine =
        new PlacementEngine(
            new ClusterState(List.of()), ProfileModel.of(base, List.of()), engineConfig);
    publisher = new EventPublisher(kafka, config.source());
    AtomicInteger n = new AtomicInteger();
    writers =
        Executors.newFixedThreadPool(
            config.writeThreads(),
            r -> {
              Thread t = new Thread(r, "placement-writer-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    Scheduler.Settings settings =
        new Scheduler.Settings(
            this::namespaceOf,
            config.oomRetries(),
            config.gangTimeout().toMillis() / 1000.0,
            config.decisionsKept());
    scheduler =
        new Scheduler(
            engine,
            base,
            new KubernetesWriter(client, metrics),
            writers,
            publisher::publish,
            settings,
            metrics,
            tracer);
    cache = new ClusterCache(client, scheduler);
    if (config.consume()) {
      consumers =
          List.of(
              ProfileConsumer.create(scheduler, kafka, config.group(), config.retryBackoff()),
              new SubmissionConsumer(
                  scheduler,
                  publisher,
                  kafka,
                  config.group(),
                  config.maxBatch(),
                  config.retryBackoff()),
              new CancelConsumer(
                  scheduler,
                  publisher,
                  kafka,
                  config.group() + "-cancels",
                  config.maxBatch(),
                  config.retryBackoff()));
      consumers.forEach(dev.cotenant.service.messaging.ConsumerLoop::start);
    }
    Thread starter = new Thread(this::syncThenLead, "placement-start");
    starter.setDaemon(true);
    starter.start();
  }

  private void syncThenLead() {
    while (!stopping) {
      try {
        cache.start(config.cacheSyncTimeout());
        break;
      } catch (IllegalStateException e) {
        LOG.warnf("cluster cache: %s; trying again", e.getMessage());
        cache.close();
        cache = new ClusterCache(client, scheduler);
        sleep(config.retryBackoff().toMillis());
      }
    }
    if (stopping) {
      return;
    }
    scheduler.cacheSynced();
    LOG.info("cluster cache synced");
    if (!config.consume()) {
      return;
    }
    PlacementConfig.LeaderElection le = config.leaderElection();
    if (!le.enabled()) {
      scheduler.activate();
      return;
    }
    leadership =
        new Leadership(
            client,
            le.leaseNamespace(),
            le.leaseName(),
            le.identity().orElseGet(PlacementService::identity),
            le.leaseDuration(),
            le.renewDeadline(),
            le.retryPeriod(),
            scheduler::activate,
            () -> {
              if (!stopping) {
                // Decisions may be in flight that the new leader does not know: start afresh.
                LOG.error("lost the placement lease; exiting so a fresh replica starts as standby");
                Quarkus.asyncExit(3);
              }
            });
    leadership.start();
  }

  private static String identity() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      host = "placement";
    }
    return host + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  String namespaceOf(String tenant) {
    String mapped = config.namespaces().get(tenant);
    return mapped != null ? mapped : config.namespacePrefix().orElse("") + tenant;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  void onStop(@Observes ShutdownEvent event) {
    stopping = true;
    consumers.forEach(dev.cotenant.service.messaging.ConsumerLoop::stop);
    if (leadership != null) {
      leadership.close();
    }
    if (cache != null) {
      cache.close();
    }
    if (scheduler != null) {
      scheduler.close();
    }
    if (writers != null) {
      writers.shutdown();
    }
    if (publisher != null) {
      publisher.close();
    }
  }

  public Scheduler scheduler() {
    return scheduler;
  }

  public boolean cacheSynced() {
    return cache != null && cache.synced();
  }
}
