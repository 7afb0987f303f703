package dev.cotenant.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.cotenant.interference.MatrixModel;
import dev.cotenant.interference.PairEntry;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AcceleratedRealTimeTest {

  final AtomicLong wallNanos = new AtomicLong(5_000_000_000L);

  ClusterSimulator sim(MatrixModel truth) {
    return new ClusterSimulator(
        List.of(ClusterSimulatorTest.GPU_NODE), truth, SimConfig.instantStarts());
  }

  void wallSeconds(double seconds) {
    wallNanos.addAndGet((long) (seconds * 1e9));
  }

  @Test
  void virtualTimeRunsSpeedupTimesFasterAndPodsFinishOnIt() {
    var clock =
        new AcceleratedRealTime(sim(ClusterSimulatorTest.truth(List.of())), 100, wallNanos::get);
    clock.bind(ClusterSimulatorTest.gpuPod("p", "a", 0, 3600));
    assertThat(clock.nanosUntilNextEvent()).hasValue(0L); // its start is due now
    assertThat(clock.catchUp()).singleElement().isInstanceOf(SimEvent.Started.class);
    assertThat(clock.nanosUntilNextEvent()).hasValue(36_000_000_000L);
    wallSeconds(35);
    assertThat(clock.catchUp()).noneMatch(e -> e instanceof SimEvent.Finished);
    assertThat(clock.virtualNow()).isCloseTo(3500, within(1e-6));
    wallSeconds(1);
    assertThat(clock.catchUp())
        .singleElement()
        .satisfies(e -> assertThat(e.time()).isCloseTo(3600, within(1e-6)));
    assertThat(clock.nanosUntilNextEvent()).isEmpty();
  }

  @Test
  void aPodBoundLaterStartsAtTheVirtualTimeOfItsBindAndMeetsTheGroundTruth() {
    var truth =
        ClusterSimulatorTest.truth(
            List.of(PairEntry.measured("a", "b", 0.5), PairEntry.measured("b", "a", 0.5)));
    var clock = new AcceleratedRealTime(sim(truth), 10, wallNanos::get);
    clock.bind(ClusterSimulatorTest.gpuPod("pa", "a", 0, 100));
    wallSeconds(5); // virtual 50: a is half done
    clock.bind(ClusterSimulatorTest.gpuPod("pb", "b", 0, 100));
    // Both at 0.5 now: a needs 50 / 0.5 = 100 more virtual seconds, ends at 150.
    wallSeconds(10);
    assertThat(clock.catchUp())
        .filteredOn(e -> e instanceof SimEvent.Finished)
        .singleElement()
        .satisfies(e -> assertThat(e.time()).isCloseTo(150, within(1e-6)));
  }

  @Test
  void rejectsANonPositiveSpeedup() {
    assertThatThrownBy(() -> new AcceleratedRealTime(sim(MatrixModel.empty()), 0, wallNanos::get))
        .hasMessageContaining("speedup");
  }

  @Test
  void mapsVirtualTimesBackToTheWallClockAndRemovesAPodAtTheVirtualNow() {
    var clock =
        new AcceleratedRealTime(sim(ClusterSimulatorTest.truth(List.of())), 100, wallNanos::get);
    long origin = wallNanos.get();
    assertThat(clock.wallNanosAt(3600)).isEqualTo(origin + 36_000_000_000L);
    assertThat(clock.speedup()).isEqualTo(100);
    clock.bind(ClusterSimulatorTest.gpuPod("p", "a", 0, 3600), 0);
    wallSeconds(10); // virtual 1000
    clock.catchUp();
    assertThat(clock.rate("p")).hasValue(1.0);
    assertThat(clock.remove("p"))
        .last()
        .isInstanceOfSatisfying(
            SimEvent.Finished.class,
            f -> {
              assertThat(f.outcome()).isEqualTo(SimEvent.Outcome.STOPPED);
              assertThat(f.time()).isCloseTo(1000, within(1e-6));
            });
    assertThat(clock.nanosUntilNextEvent()).isEmpty();
  }
}
