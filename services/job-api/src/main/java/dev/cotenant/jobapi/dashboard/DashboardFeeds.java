package dev.cotenant.jobapi.dashboard;

import dev.cotenant.events.AppProfile;
import dev.cotenant.events.GpuSample;
import dev.cotenant.events.Topics;
import dev.cotenant.jobapi.config.DashboardConfig;
import dev.cotenant.service.messaging.EventTail;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What the dashboard shows of the cluster and the profiles, followed from Kafka: the services never
 * call each other over HTTP, so job-api learns the cards from the monitor's telemetry and the
 * interference matrix from the profiler's compacted topic. Every instance reads both in full, in
 * groups of its own, so any instance can answer.
 */
@Singleton
public class DashboardFeeds {
  private static final Duration RETRY = Duration.ofSeconds(1);

  private final DashboardConfig config;
  private final Map<String, Object> kafka;
  private final ClusterView cluster;
  private final ProfileBook profiles = new ProfileBook();
  private List<EventTail> tails = List.of();

  public DashboardFeeds(
      DashboardConfig config, @Identifier("default-kafka-broker") Map<String, Object> kafka) {
    this.config = config;
    this.kafka = kafka;
    this.cluster = new ClusterView(config.staleAfter(), config.forgetAfter(), Clock.systemUTC());
  }

  void onStart(@Observes StartupEvent event) {
    if (!config.enabled()) {
      return;
    }
    tails =
        List.of(
            // Telemetry: only the latest sample per card matters, so a new instance starts at the
            // end and has the whole cluster after one scrape round.
            new EventTail(
                    Topics.GPU_TELEMETRY,
                    "job-api-dashboard-telemetry",
                    kafka,
                    "job-api-dashboard",
                    EventTail.From.END,
                    RETRY,
                    events ->
                        cluster.accept(
                            events.stream()
                                .filter(GpuSample.class::isInstance)
                                .map(GpuSample.class::cast)
                                .toList()))
                .everyPerKey(config.telemetryEvery()),
            new EventTail(
                Topics.PROFILES,
                "job-api-dashboard-profiles",
                kafka,
                "job-api-dashboard",
                EventTail.From.BEGINNING,
                RETRY,
                EventTail.only(AppProfile.class, profiles::accept)));
    tails.forEach(EventTail::start);
  }

  void onStop(@Observes ShutdownEvent event) {
    tails.forEach(EventTail::stop);
  }

  public ClusterView cluster() {
    return cluster;
  }

  public ProfileBook profiles() {
    return profiles;
  }
}
