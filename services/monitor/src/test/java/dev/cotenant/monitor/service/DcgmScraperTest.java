package dev.cotenant.monitor.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cotenant.monitor.config.MonitorConfig;
import dev.cotenant.monitor.lifecycle.LifecycleTracker;
import dev.cotenant.monitor.telemetry.ScrapeTarget;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DcgmScraperTest {
  private static final ScrapeTarget EXPORTER =
      ScrapeTarget.parse("gpu-1=http://127.0.0.1:9/metrics");

  @Test
  void discoveryThatFoundNothingIsAskedAgainAtTheScrapeIntervalNotTheDiscoveryInterval()
      throws Exception {
    AtomicInteger asked = new AtomicInteger();
    // The first answers are empty (exporters not there yet, or a slow API server's first list).
    java.util.function.Supplier<List<ScrapeTarget>> discovery =
        () -> asked.incrementAndGet() < 3 ? List.of() : List.of(EXPORTER);
    try (DcgmScraper scraper = scraper(Duration.ofMillis(50), Duration.ofHours(1), discovery)) {
      scraper.start();
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (scraper.targets().isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(scraper.targets()).containsExactly(EXPORTER);
      int afterFound = asked.get();
      Thread.sleep(300);
      // Once exporters are known, the discovery interval (an hour here) applies again.
      assertThat(asked.get()).isEqualTo(afterFound).isEqualTo(3);
    }
  }

  private static DcgmScraper scraper(
      Duration scrapeInterval,
      Duration discoveryInterval,
      java.util.function.Supplier<List<ScrapeTarget>> discovery) {
    MonitorConfig.Discovery discoveryConfig =
        config(MonitorConfig.Discovery.class, Map.of("interval", discoveryInterval));
    MonitorConfig.Dcgm dcgm =
        config(
            MonitorConfig.Dcgm.class,
            Map.of(
                "enabled",
                true,
                "targets",
                Optional.empty(),
                "interval",
                scrapeInterval,
                "timeout",
                Duration.ofMillis(200),
                "staleAfter",
                Duration.ofSeconds(30),
                "threads",
                1,
                "discovery",
                discoveryConfig));
    Clock clock = Clock.systemUTC();
    LifecycleTracker tracker =
        new LifecycleTracker(clock, Duration.ofHours(1), Duration.ofHours(1), (e, t) -> {});
    return new DcgmScraper(dcgm, List.of(), discovery, tracker, (t, at, s) -> {}, clock);
  }

  /** A config mapping answering the given methods (what Quarkus would build from properties). */
  @SuppressWarnings("unchecked")
  private static <T> T config(Class<T> type, Map<String, Object> values) {
    return (T)
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (proxy, method, args) -> {
              if (!values.containsKey(method.getName())) {
                throw new UnsupportedOperationException(method.getName());
              }
              return values.get(method.getName());
            });
  }
}
