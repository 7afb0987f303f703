package dev.cotenant.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BoundTallyTest {
  private static final long MS = 1_000_000L;

  @Test
  void joinsSubmissionsAndPodBoundsIntoRateLatencyLostAndDuplicated() {
    BoundTally tally = new BoundTally();
    // The measured window is [1000 ms, 3000 ms]: 2 s long.
    tally.accepted("a", 1, 1_000 * MS, true);
    tally.bound("a", "a-0", "e1", 1_010 * MS); // 10 ms
    tally.bound("a", "a-0", "e1", 1_500 * MS); // redelivered, same event id: not a duplicate

    tally.accepted("gang", 2, 1_100 * MS, true);
    tally.bound("gang", "gang-0", "e2", 1_120 * MS);
    tally.bound("gang", "gang-1", "e3", 1_150 * MS); // bound once both are: 50 ms

    tally.bound("early", "early-0", "e4", 1_205 * MS); // overtakes the POST's answer
    tally.accepted("early", 1, 1_200 * MS, true); // 5 ms

    tally.accepted("twice", 1, 1_300 * MS, true);
    tally.bound("twice", "twice-0", "e5", 1_400 * MS); // 100 ms
    tally.bound("twice", "twice-0", "e6", 1_600 * MS); // a second, distinct binding

    tally.accepted("stray", 1, 1_400 * MS, true);
    tally.bound("stray", "stray-0", "e7", 1_600 * MS); // 200 ms
    tally.bound("stray", "stray-7", "e8", 1_610 * MS); // a pod the job does not have

    tally.accepted("warmup", 1, 500 * MS, false); // bound in the window, no latency sample
    tally.bound("warmup", "warmup-0", "e9", 1_001 * MS);

    tally.accepted("late", 1, 2_900 * MS, true); // bound in the grace period: 1100 ms
    tally.bound("late", "late-0", "e10", 4_000 * MS);

    tally.accepted("half", 2, 2_000 * MS, true); // one of its two pods never bound: lost
    tally.bound("half", "half-0", "e11", 2_010 * MS);

    tally.accepted("lost", 1, 2_500 * MS, true);

    tally.bound("foreign", "foreign-0", "e12", 1_700 * MS); // another client's job: ignored

    assertThat(tally.acceptedCount()).isEqualTo(9);
    assertThat(tally.unbound()).isEqualTo(2);

    BoundTally.Summary s = tally.summary(1_000 * MS, 3_000 * MS);
    assertThat(s.accepted()).isEqualTo(9);
    assertThat(s.bound()).isEqualTo(7);
    assertThat(s.boundInWindow()).isEqualTo(6); // all but "late"
    assertThat(s.boundPerSecond()).isEqualTo(3.0);
    assertThat(s.lost()).isEqualTo(2);
    assertThat(s.reboundPods()).isEqualTo(1);
    assertThat(s.foreignPods()).isEqualTo(1);
    assertThat(s.duplicated()).isEqualTo(2);
    // Latencies of the measured bound jobs: 5, 10, 50, 100, 200, 1100 ms.
    assertThat(s.latencyMicros().getTotalCount()).isEqualTo(6);
    assertThat(s.percentileMillis(50)).isBetween(49.9, 50.1);
    assertThat(s.percentileMillis(99)).isBetween(1099.0, 1101.0);
    assertThat(s.maxMillis()).isBetween(1099.0, 1101.0);
    assertThat(s.line()).matches("bound_per_second=3\\.0 p99_ms=110[01]\\.\\d lost=2 duplicated=2");
  }

  @Test
  void anEmptyRunReportsZeroesAndNoLatency() {
    BoundTally.Summary s = new BoundTally().summary(0, 1_000 * MS);
    assertThat(s.line()).isEqualTo("bound_per_second=0.0 p99_ms=NaN lost=0 duplicated=0");
  }

  @Test
  void theFirstAnswerForAJobIdStands() {
    BoundTally tally = new BoundTally();
    tally.accepted("a", 1, 10 * MS, true);
    tally.accepted("a", 1, 90 * MS, true);
    tally.bound("a", "a-0", "e1", 110 * MS);
    BoundTally.Summary s = tally.summary(0, 1_000 * MS);
    assertThat(s.accepted()).isEqualTo(1);
    assertThat(s.maxMillis()).isBetween(99.9, 100.1);
  }

  @Test
  void rejectsAJobWithoutPods() {
    assertThatThrownBy(() -> new BoundTally().accepted("a", 0, 0, true))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
