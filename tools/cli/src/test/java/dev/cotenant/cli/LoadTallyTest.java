package dev.cotenant.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoadTallyTest {

  @Test
  void joinsSendsAndArrivalsByJobIdIntoLostDuplicatedAndLag() {
    LoadTally tally = new LoadTally();
    tally.accepted("a", new LoadTally.Sent(1_000_000L, 10_000L, true));
    tally.accepted("b", new LoadTally.Sent(2_000_000L, 10_001L, true));
    tally.accepted("c", new LoadTally.Sent(3_000_000L, 10_002L, false));
    tally.accepted("lost", new LoadTally.Sent(4_000_000L, 10_003L, true));
    tally.arrived("a", 6_000_000L, 10_004L); // 5 ms after its send
    tally.arrived("b", 9_000_000L, 10_006L); // 7 ms
    tally.arrived("b", 9_500_000L, 10_007L); // a duplicate: its time does not count
    tally.arrived("c", 4_000_000L, 10_003L); // warm-up: no lag sample
    tally.arrived("foreign", 1L, 1L); // another client's job: ignored

    assertThat(tally.acceptedCount()).isEqualTo(4);
    assertThat(tally.missing()).isEqualTo(1);
    assertThat(tally.duplicated()).isEqualTo(1);
    var byReceive = tally.lag(false);
    assertThat(byReceive.getTotalCount()).isEqualTo(2);
    assertThat(byReceive.getMinValue()).isEqualTo(5_000);
    assertThat(byReceive.getMaxValue()).isBetween(7_000L, 7_010L);
    var byTimestamp = tally.lag(true);
    assertThat(byTimestamp.getMinValue()).isEqualTo(4_000);
    assertThat(byTimestamp.getMaxValue()).isBetween(5_000L, 5_010L);
  }
}
