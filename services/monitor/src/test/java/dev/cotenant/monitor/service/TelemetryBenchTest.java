package dev.cotenant.monitor.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cotenant.events.Topics;
import dev.cotenant.monitor.config.MonitorConfig;
import dev.cotenant.monitor.lifecycle.LifecycleTracker;
import dev.cotenant.monitor.messaging.EventPublisher;
import dev.cotenant.monitor.telemetry.ScrapeTarget;
import dev.cotenant.testsupport.EventTopics;
import dev.cotenant.testsupport.TestStack;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A measurement, not a test of speed (nothing is asserted on time): GPU samples per second through
 * the scraper's own answer path (parse, group, map, freshness, publish) into the real in-process
 * broker, for 1,000 nodes × 8 GPUs of dcgm-exporter text. Run with {@code -Dcotenant.bench=true
 * -Dtest=TelemetryBenchTest}.
 */
@EnabledIfSystemProperty(named = "cotenant.bench", matches = "true")
class TelemetryBenchTest {
  static final int NODES = 1_000;
  static final int GPUS = 8;
  static final int ROUNDS = 10;

  static String exposition(String node) {
    StringBuilder out = new StringBuilder(16 * 1024);
    String[] fields = {
      "DCGM_FI_DEV_SM_CLOCK", "DCGM_FI_DEV_MEM_CLOCK", "DCGM_FI_DEV_GPU_TEMP",
      "DCGM_FI_DEV_POWER_USAGE", "DCGM_FI_DEV_GPU_UTIL", "DCGM_FI_DEV_MEM_COPY_UTIL",
      "DCGM_FI_DEV_FB_FREE", "DCGM_FI_DEV_FB_USED", "DCGM_FI_PROF_GR_ENGINE_ACTIVE",
      "DCGM_FI_PROF_DRAM_ACTIVE", "DCGM_FI_DEV_XID_ERRORS", "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION"
    };
    for (String field : fields) {
      out.append("# HELP ")
          .append(field)
          .append(" help.\n# TYPE ")
          .append(field)
          .append(" gauge\n");
      for (int g = 0; g < GPUS; g++) {
        out.append(field)
            .append("{gpu=\"")
            .append(g)
            .append("\",UUID=\"GPU-")
            .append(node)
            .append('-')
            .append(g)
            .append("\",pci_bus_id=\"00000000:3")
            .append(g)
            .append(":00.0\",device=\"nvidia")
            .append(g)
            .append("\",modelName=\"NVIDIA A100-SXM4-80GB\",Hostname=\"")
            .append(node)
            .append(
                "\",DCGM_FI_DRIVER_VERSION=\"550.54.15\",container=\"main\",namespace=\"team-a\",pod=\"job-")
            .append(node)
            .append('-')
            .append(g)
            .append("\"} ")
            .append(field.endsWith("ACTIVE") ? "0.42" : "1234")
            .append('\n');
      }
    }
    return out.toString();
  }

  @Test
  void gpuSamplesPerSecond() {
    String bootstrap = TestStack.get().kafka().bootstrapServers();
    TestStack.get().kafka().createCotenantTopics(3);
    List<String> texts = new ArrayList<>();
    List<ScrapeTarget> targets = new ArrayList<>();
    for (int n = 0; n < NODES; n++) {
      texts.add(exposition("bench-" + n));
      targets.add(new ScrapeTarget("http://bench-" + n, Optional.of("bench-" + n)));
    }
    Instant t0 = Instant.parse("2026-12-01T10:00:00Z");
    Instant[] now = {t0};
    Clock clock =
        new Clock() {
          @Override
          public Instant instant() {
            return now[0];
          }

          @Override
          public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }
        };
    LifecycleTracker tracker =
        new LifecycleTracker(clock, Duration.ofHours(1), Duration.ofHours(1), (e, t) -> {});
    long before = EventTopics.endOffsets(bootstrap, Topics.GPU_TELEMETRY);
    try (EventPublisher publisher =
        new EventPublisher(
            Map.<String, Object>of("bootstrap.servers", bootstrap), "/bench", "bench", 5)) {
      DcgmScraper scraper =
          new DcgmScraper(
              config(),
              List.of(),
              null,
              tracker,
              (t, at, page) -> page.forEach(publisher::publish),
              clock);
      // Warm-up, then parse and map only (no broker), then the same through the broker.
      DcgmScraper dry =
          new DcgmScraper(config(), List.of(), null, tracker, (t, at, s) -> {}, clock);
      rounds(dry, targets, texts, t0, now, 0);
      long dryBefore = dry.counts().published();
      long parseStart = System.nanoTime();
      rounds(dry, targets, texts, t0, now, ROUNDS);
      double parseSeconds = (System.nanoTime() - parseStart) / 1e9;
      long drySamples = dry.counts().published() - dryBefore;
      long start = System.nanoTime();
      rounds(scraper, targets, texts, t0, now, 2 * ROUNDS);
      publisher.flush();
      double seconds = (System.nanoTime() - start) / 1e9;
      long samples = scraper.counts().published();
      System.out.printf(
          "monitor telemetry: %d samples; parse+map %.0f samples/s; parse+map+publish (acked) %.0f samples/s%n",
          samples, drySamples / parseSeconds, samples / seconds);
      assertThat(samples).isEqualTo((long) NODES * GPUS * ROUNDS);
      assertThat(EventTopics.endOffsets(bootstrap, Topics.GPU_TELEMETRY) - before)
          .isEqualTo(samples);
      dry.close();
      scraper.close();
    }
  }

  /** {@code ROUNDS} scrapes of every node, one second apart from round {@code first} on. */
  static void rounds(
      DcgmScraper scraper,
      List<ScrapeTarget> targets,
      List<String> texts,
      Instant t0,
      Instant[] now,
      int first) {
    for (int round = first; round < first + ROUNDS; round++) {
      now[0] = t0.plusSeconds(round);
      for (int n = 0; n < targets.size(); n++) {
        scraper.accept(targets.get(n), texts.get(n), now[0]);
      }
    }
  }

  static MonitorConfig.Dcgm config() {
    return new MonitorConfig.Dcgm() {
      @Override
      public boolean enabled() {
        return true;
      }

      @Override
      public Optional<List<String>> targets() {
        return Optional.empty();
      }

      @Override
      public Duration interval() {
        return Duration.ofSeconds(1);
      }

      @Override
      public Duration timeout() {
        return Duration.ofSeconds(1);
      }

      @Override
      public Duration staleAfter() {
        return Duration.ofSeconds(30);
      }

      @Override
      public int threads() {
        return 1;
      }

      @Override
      public MonitorConfig.Discovery discovery() {
        return null;
      }
    };
  }
}
