package dev.cotenant.service.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventTailTest {
  private static EventTail tail() {
    return new EventTail(
        "t", "test", Map.of(), "g", EventTail.From.END, Duration.ofSeconds(1), events -> {});
  }

  @Test
  void withoutAnIntervalEveryRecordIsRead() {
    EventTail tail = tail();
    for (long t = 0; t < 10_000; t += 100) {
      assertThat(tail.wanted("node-1", t)).isTrue();
    }
  }

  @Test
  void oneBurstPerKeyPerIntervalIsRead() {
    EventTail tail = tail().everyPerKey(Duration.ofSeconds(5));
    // One scrape: eight cards' samples within milliseconds, all read.
    for (int card = 0; card < 8; card++) {
      assertThat(tail.wanted("node-1", 1_000 + card)).isTrue();
    }
    // The next scrapes of the same node within 5 s are skipped; another node's are not.
    assertThat(tail.wanted("node-1", 2_000)).isFalse();
    assertThat(tail.wanted("node-1", 5_999)).isFalse();
    assertThat(tail.wanted("node-2", 2_000)).isTrue();
    // 5 s after the first burst a new one starts.
    assertThat(tail.wanted("node-1", 6_000)).isTrue();
    assertThat(tail.wanted("node-1", 6_003)).isTrue();
    assertThat(tail.wanted("node-1", 7_000)).isFalse();
    // A record older than the burst it would belong to (a replay) starts over rather than hide.
    assertThat(tail.wanted("node-1", 100)).isTrue();
    assertThat(tail.wanted(null, 7_000)).isTrue();
  }
}
