package dev.cotenant.jobapi.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cotenant.events.GpuRef;
import dev.cotenant.events.GpuSample;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ClusterViewTest {
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  private static GpuSample sample(String node, int gpu, Instant at, long memory) {
    return new GpuSample(
        UUID.randomUUID().toString(),
        at,
        node,
        new GpuRef(gpu, "GPU-" + node + gpu),
        "A100",
        0.5,
        0.2,
        50,
        memory,
        40_960,
        List.of());
  }

  private static ClusterView at(Instant now) {
    return new ClusterView(
        Duration.ofSeconds(30), Duration.ofMinutes(10), Clock.fixed(now, ZoneOffset.UTC));
  }

  @Test
  void cardsAreSortedByNodeThenIndexNumerically() {
    ClusterView view = at(T0);
    view.accept(List.of(sample("b", 0, T0, 1), sample("a", 10, T0, 1), sample("a", 2, T0, 1)));
    assertThat(view.cards())
        .extracting(c -> c.sample().node() + "/" + c.sample().gpu().index())
        .containsExactly("a/2", "a/10", "b/0");
  }

  @Test
  void aCardNotReportedLatelyIsStaleThenForgotten() {
    ClusterView fresh = at(T0.plusSeconds(29));
    fresh.accept(List.of(sample("a", 0, T0, 1)));
    assertThat(fresh.cards()).singleElement().satisfies(c -> assertThat(c.stale()).isFalse());

    ClusterView later = at(T0.plusSeconds(31));
    later.accept(List.of(sample("a", 0, T0, 1)));
    assertThat(later.cards()).singleElement().satisfies(c -> assertThat(c.stale()).isTrue());

    ClusterView gone = at(T0.plus(Duration.ofMinutes(11)));
    gone.accept(List.of(sample("a", 0, T0, 1)));
    assertThat(gone.cards()).isEmpty();
  }

  @Test
  void theNewestSampleWinsWhateverOrderTheyArriveIn() {
    ClusterView view = at(T0);
    view.accept(List.of(sample("a", 0, T0, 200), sample("a", 0, T0.minusSeconds(5), 100)));
    assertThat(view.cards())
        .singleElement()
        .satisfies(c -> assertThat(c.sample().memoryUsedMiB()).isEqualTo(200));
  }

  @Test
  void placementsPodNamesNameTheirJob() {
    UUID job = UUID.randomUUID();
    assertThat(DashboardService.jobOf("tenant-a/" + job + "-3")).contains(job);
    assertThat(DashboardService.jobOf(job + "-0")).contains(job);
    assertThat(DashboardService.jobOf("ns/" + job)).isEmpty();
    assertThat(DashboardService.jobOf("ns/" + job + "-x")).isEmpty();
    assertThat(DashboardService.jobOf("ns/" + job + "-")).isEmpty();
    assertThat(DashboardService.jobOf("ns/notebook-0")).isEmpty();
    assertThat(DashboardService.jobOf("-0")).isEmpty();
  }
}
