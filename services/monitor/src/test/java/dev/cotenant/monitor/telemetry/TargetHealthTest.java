package dev.cotenant.monitor.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TargetHealthTest {
  static final Instant T = Instant.parse("2026-12-01T10:00:00Z");
  static final String URL = "http://10.0.0.1:9400/metrics";

  @Test
  void aTargetIsUpUntilItsLastGoodScrapeIsOlderThanTheLimit() {
    TargetHealth h = new TargetHealth(Duration.ofSeconds(3));
    h.attempted(URL, "n1", T);
    assertThat(h.state(URL, T)).isEqualTo(TargetHealth.State.PENDING);
    h.succeeded(URL, T);
    assertThat(h.state(URL, T.plusSeconds(3))).isEqualTo(TargetHealth.State.UP);
    h.failed(URL, "connection refused");
    assertThat(h.state(URL, T.plusSeconds(4))).isEqualTo(TargetHealth.State.STALE);
    TargetHealth.Status s = h.statuses(T.plusSeconds(4)).get(0);
    assertThat(s.lastError()).isEqualTo("connection refused");
    assertThat(s.node()).isEqualTo("n1");
    assertThat(s.lastSuccess()).isEqualTo(Optional.of(T));
    assertThat(s.failures()).isEqualTo(1);
    h.retain(Set.of());
    assertThat(h.statuses(T)).isEmpty();
  }

  @Test
  void onlyNewerAndRecentValuesAreFresh() {
    TargetHealth h = new TargetHealth(Duration.ofSeconds(3));
    assertThat(h.fresh("n#0", T, T)).isTrue();
    assertThat(h.fresh("n#0", T, T.plusSeconds(1))).as("the same values again").isFalse();
    assertThat(h.fresh("n#0", T.minusSeconds(1), T)).as("older").isFalse();
    assertThat(h.fresh("n#1", T.minusSeconds(10), T)).as("an exporter's old timestamp").isFalse();
    assertThat(h.fresh("n#1", T.plusSeconds(60), T)).as("from the future").isFalse();
    assertThat(h.fresh("n#0", T.plusSeconds(1), T.plusSeconds(1))).isTrue();
  }

  @Test
  void targetsFromConfig() {
    assertThat(ScrapeTarget.parse("gpu-3=http://10.0.0.3:9400/metrics"))
        .isEqualTo(new ScrapeTarget("http://10.0.0.3:9400/metrics", Optional.of("gpu-3")));
    assertThat(ScrapeTarget.parse(" http://h:9400/metrics?a=b "))
        .isEqualTo(new ScrapeTarget("http://h:9400/metrics?a=b", Optional.empty()));
  }
}
