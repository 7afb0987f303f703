package dev.cotenant.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.cotenant.interference.AppInfo;
import dev.cotenant.interference.InterferenceMatrix;
import dev.cotenant.interference.MatrixModel;
import dev.cotenant.interference.PairEntry;
import dev.cotenant.sim.cluster.NodeSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** Timelines computed by hand, checked against the simulator. */
class ClusterSimulatorTest {

  static final NodeSpec GPU_NODE = new NodeSpec("gpu-0", 8000, 65536, 2, "P100", 16384);
  static final NodeSpec CPU_NODE = new NodeSpec("cpu-0", 1000, 4096, 0, "", 0);

  static MatrixModel truth(List<PairEntry> pairs, AppInfo... apps) {
    List<AppInfo> all = new ArrayList<>(List.of(apps));
    for (String name : List.of("a", "b", "c", "x")) {
      if (all.stream().noneMatch(app -> app.name().equals(name))) {
        all.add(AppInfo.named(name));
      }
    }
    return new MatrixModel(new InterferenceMatrix("test", all, pairs));
  }

  static SimPod gpuPod(String name, String app, int gpu, double solo) {
    return new SimPod(name, name, app, "gpu-0", List.of(gpu), 0, 4096, solo);
  }

  static SimPod cpuPod(String name, long cpuMilli, double solo) {
    return new SimPod(name, name, "x", "cpu-0", List.of(), cpuMilli, 0, solo);
  }

  /** Runs to the end and returns each pod's finish time. */
  static Map<String, Double> finishTimes(ClusterSimulator sim) {
    Map<String, Double> finished = new LinkedHashMap<>();
    for (SimEvent e : sim.advanceTo(1e9)) {
      if (e instanceof SimEvent.Finished f) {
        finished.put(f.pod().name(), f.time());
      }
    }
    return finished;
  }

  @Test
  void aPodAloneTakesItsSoloTime() {
    var sim = new ClusterSimulator(List.of(GPU_NODE), truth(List.of()), SimConfig.instantStarts());
    sim.bind(gpuPod("p", "a", 0, 100));
    assertThat(finishTimes(sim)).containsEntry("p", 100.0);
    assertThat(sim.busyGpuSeconds()).isCloseTo(100, within(1e-9));
  }

  @Test
  void sharedCardSlowsEachByItsOwnPairThenTheSurvivorSpeedsUp() {
    // a runs at 0.8 next to b, b at 0.4 next to a. b (solo 20) needs 20/0.4 = 50 s; by then a has
    // done 50*0.8 = 40 of its 100 s, and does the remaining 60 alone: finish at 110.
    var model =
        truth(List.of(PairEntry.measured("a", "b", 0.8), PairEntry.measured("b", "a", 0.4)));
    var sim = new ClusterSimulator(List.of(GPU_NODE), model, SimConfig.instantStarts());
    sim.bind(gpuPod("pa", "a", 0, 100));
    sim.bind(gpuPod("pb", "b", 0, 20));
    Map<String, Double> done = finishTimes(sim);
    assertThat(done.get("pb")).isCloseTo(50, within(1e-9));
    assertThat(done.get("pa")).isCloseTo(110, within(1e-9));
    assertThat(sim.busyGpuSeconds()).isCloseTo(110, within(1e-9));
  }

  @Test
  void finishedPodsReportTheShareOfTheirRunSpentBesideEachCoTenantApp() {
    // As above: b runs 50 s, all beside a; a runs 110 s, 50 of them beside b. c, on the other
    // card, shares with no one.
    var model =
        truth(List.of(PairEntry.measured("a", "b", 0.8), PairEntry.measured("b", "a", 0.4)));
    var sim = new ClusterSimulator(List.of(GPU_NODE), model, SimConfig.instantStarts());
    sim.bind(gpuPod("pa", "a", 0, 100));
    sim.bind(gpuPod("pb", "b", 0, 20));
    sim.bind(gpuPod("pc", "c", 1, 10));
    Map<String, Map<String, Double>> shares = new LinkedHashMap<>();
    for (SimEvent e : sim.advanceTo(1e9)) {
      if (e instanceof SimEvent.Finished f) {
        shares.put(f.pod().name(), f.gpuCoTenantShares());
      }
    }
    assertThat(shares.get("pb")).containsOnlyKeys("a");
    assertThat(shares.get("pb").get("a")).isCloseTo(1.0, within(1e-9));
    assertThat(shares.get("pa").get("b")).isCloseTo(50.0 / 110, within(1e-9));
    assertThat(shares.get("pc")).isEmpty();
  }

  @Test
  void podsOnDifferentCardsDoNotInterfere() {
    var model =
        truth(List.of(PairEntry.measured("a", "b", 0.1), PairEntry.measured("b", "a", 0.1)));
    var sim = new ClusterSimulator(List.of(GPU_NODE), model, SimConfig.instantStarts());
    sim.bind(gpuPod("pa", "a", 0, 100));
    sim.bind(gpuPod("pb", "b", 1, 30));
    assertThat(finishTimes(sim)).containsEntry("pa", 100.0).containsEntry("pb", 30.0);
  }

  @Test
  void threeTenantsMultiplyTheirPairwiseThroughputs() {
    // a with b (0.5) and c (0.8): 0.4 while both stay. b and c run alone-ish: b with a 0.9, b with
    // c 1.0; c with a 1.0, c with b 1.0; so b (solo 9) finishes at 10, c (solo 10) at 10; a did
    // 10*0.4 = 4 of 100 and finishes 96 s later, at 106.
    var model =
        truth(
            List.of(
                PairEntry.measured("a", "b", 0.5),
                PairEntry.measured("a", "c", 0.8),
                PairEntry.measured("b", "a", 0.9),
                PairEntry.measured("b", "c", 1.0),
                PairEntry.measured("c", "a", 1.0),
                PairEntry.measured("c", "b", 1.0)));
    var sim = new ClusterSimulator(List.of(GPU_NODE), model, SimConfig.instantStarts());
    sim.bind(gpuPod("pa", "a", 0, 100));
    sim.bind(gpuPod("pb", "b", 0, 9));
    sim.bind(gpuPod("pc", "c", 0, 10));
    Map<String, Double> done = finishTimes(sim);
    assertThat(done.get("pb")).isCloseTo(10, within(1e-9));
    assertThat(done.get("pc")).isCloseTo(10, within(1e-9));
    assertThat(done.get("pa")).isCloseTo(106, within(1e-9));
  }

  @Test
  void cpuOverSubscriptionSharesCoresInProportion() {
    // 1000m node; 1000m + 500m wanted: each runs at 1000/1500. The 500m pod (solo 10) ends at 15;
    // the other did 10 of 30 and ends 20 s later, at 35.
    var sim = new ClusterSimulator(List.of(CPU_NODE), truth(List.of()), SimConfig.instantStarts());
    sim.bind(cpuPod("big", 1000, 30));
    sim.bind(cpuPod("small", 500, 10));
    Map<String, Double> done = finishTimes(sim);
    assertThat(done.get("small")).isCloseTo(15, within(1e-9));
    assertThat(done.get("big")).isCloseTo(35, within(1e-9));
  }

  @Test
  void profiledCpuUseOverridesTheRequest() {
    // The app keeps 2000m busy though it asked for 100m: alone on a 1000m node it runs at half.
    var app =
        new AppInfo(
            "x",
            OptionalDouble.empty(),
            OptionalDouble.empty(),
            OptionalDouble.empty(),
            OptionalDouble.of(2000));
    var sim =
        new ClusterSimulator(List.of(CPU_NODE), truth(List.of(), app), SimConfig.instantStarts());
    sim.bind(cpuPod("p", 100, 10));
    assertThat(finishTimes(sim).get("p")).isCloseTo(20, within(1e-9));
  }

  @Test
  void limitedParallelStartsSpreadStartTimes() {
    var sim = new ClusterSimulator(List.of(CPU_NODE), truth(List.of()), new SimConfig(2, 1));
    for (int i = 0; i < 3; i++) {
      sim.bind(cpuPod("p" + i, 100, 10));
    }
    List<Double> starts = new ArrayList<>();
    Map<String, Double> finishes = new LinkedHashMap<>();
    for (SimEvent e : sim.advanceTo(1e9)) {
      if (e instanceof SimEvent.Started s) {
        starts.add(s.time());
      } else if (e instanceof SimEvent.Finished f) {
        finishes.put(f.pod().name(), f.time());
        assertThat(f.runSeconds()).isCloseTo(10, within(1e-9));
      }
    }
    assertThat(starts).containsExactly(2.0, 4.0, 6.0);
    assertThat(finishes).containsEntry("p2", 16.0);
  }

  @Test
  void incompatibleCoTenantIsOomKilledOnStart() {
    var model = truth(List.of(PairEntry.incompatible("a", "b")));
    var sim = new ClusterSimulator(List.of(GPU_NODE), model, SimConfig.instantStarts());
    sim.bind(gpuPod("pb", "b", 0, 50));
    sim.advanceTo(1);
    sim.bind(gpuPod("pa", "a", 0, 50));
    List<SimEvent> events = sim.advanceTo(1e9);
    assertThat(events)
        .filteredOn(e -> e instanceof SimEvent.Finished)
        .map(e -> ((SimEvent.Finished) e).pod().name() + ":" + ((SimEvent.Finished) e).outcome())
        .containsExactly("pa:OOM_KILLED", "pb:SUCCEEDED");
  }

  @Test
  void overCommittedGpuMemoryIsOomKilled() {
    var sim = new ClusterSimulator(List.of(GPU_NODE), truth(List.of()), SimConfig.instantStarts());
    sim.bind(new SimPod("big", "j", "a", "gpu-0", List.of(0), 0, 12000, 10));
    sim.bind(new SimPod("more", "k", "b", "gpu-0", List.of(0), 0, 8000, 10));
    assertThat(sim.advanceTo(1e9))
        .filteredOn(
            e -> e instanceof SimEvent.Finished f && f.outcome() == SimEvent.Outcome.OOM_KILLED)
        .hasSize(1);
  }

  @Test
  void rejectsUnknownNodesCardsRepeatsAndTimeTravel() {
    var sim = new ClusterSimulator(List.of(GPU_NODE), truth(List.of()), SimConfig.instantStarts());
    assertThatThrownBy(() -> sim.bind(new SimPod("p", "j", "a", "nope", List.of(), 0, 0, 1)))
        .hasMessageContaining("unknown node nope");
    assertThatThrownBy(() -> sim.bind(gpuPod("p", "a", 5, 1))).hasMessageContaining("GPU 5");
    sim.bind(gpuPod("p", "a", 0, 1));
    assertThatThrownBy(() -> sim.bind(gpuPod("p", "a", 0, 1))).hasMessageContaining("bound before");
    sim.advanceTo(5);
    assertThatThrownBy(() -> sim.advanceTo(4)).hasMessageContaining("back in time");
  }

  @Test
  void aMigratedPodKeepsItsProgressAndPaysStartPlusCheckpointWhileItsOldPartnerSpeedsUp() {
    // Both start at 5 (start latency) and run at 0.5 next to each other; at 45 each has done 20 of
    // its 100 s. b moves to card 1: a does its 80 alone and ends at 125; b starts again at 45 + 5
    // (start) + 10 (checkpoint) and ends its 80 at 140. Its first run (40 s, 20 s of work) is
    // reported.
    var model =
        truth(List.of(PairEntry.measured("a", "b", 0.5), PairEntry.measured("b", "a", 0.5)));
    var sim = new ClusterSimulator(List.of(GPU_NODE), model, new SimConfig(5, 4, 10));
    sim.bind(gpuPod("pa", "a", 0, 100));
    sim.bind(gpuPod("pb", "b", 0, 100));
    sim.advanceTo(45);
    var stopped = sim.migrate("pb", "gpu-0", List.of(1));

    assertThat(stopped).isPresent();
    assertThat(stopped.get().outcome()).isEqualTo(SimEvent.Outcome.MIGRATED);
    assertThat(stopped.get().runSeconds()).isCloseTo(40, within(1e-9));
    assertThat(stopped.get().pod().soloSeconds()).isCloseTo(20, within(1e-9));
    assertThat(stopped.get().gpuCoTenantShares()).containsEntry("a", 1.0);
    Map<String, Double> finished = finishTimes(sim);
    assertThat(finished.get("pa")).isCloseTo(45 + 80, within(1e-6));
    assertThat(finished.get("pb")).isCloseTo(45 + 5 + 10 + 80, within(1e-6));
  }

  @Test
  void aPodNotYetRunningJustChangesPlaceAndAnUnknownPodIsRefused() {
    var sim = new ClusterSimulator(List.of(GPU_NODE), truth(List.of()), new SimConfig(5, 1, 10));
    sim.bind(gpuPod("p", "a", 0, 100));
    sim.bind(gpuPod("q", "a", 0, 100)); // waits for p's start slot

    assertThat(sim.migrate("q", "gpu-0", List.of(1))).isEmpty();
    assertThat(sim.migrate("p", "gpu-0", List.of(0))).isEmpty();

    // One start at a time, no checkpoint to restore: q (moved while waiting) starts first, at 0 +
    // 5;
    // p (moved while starting) goes to the back of the line and starts at 10.
    Map<String, Double> finished = finishTimes(sim);
    assertThat(finished.get("q")).isCloseTo(5 + 100, within(1e-6));
    assertThat(finished.get("p")).isCloseTo(10 + 100, within(1e-6));
    assertThatThrownBy(() -> sim.migrate("nobody", "gpu-0", List.of(0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nobody");
    assertThatThrownBy(() -> sim.migrate("p", "gpu-0", List.of(7)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("GPU 7");
  }

  @Test
  void aPodMovedWhileStillRestoringPaysTheRestoreAgain() {
    // Start 5 s, checkpoint round trip 30 s. p runs alone from 5; at 15 it has done 10 of 100 and
    // moves: it restores until 15 + 5 + 30 = 50. Moved again at 20, before it runs, it restores
    // from scratch: 20 + 5 + 30 = 55, then its last 90 s: done at 145 (not 20 + 5 + 90 = 115).
    var sim = new ClusterSimulator(List.of(GPU_NODE), truth(List.of()), new SimConfig(5, 4, 30));
    sim.bind(gpuPod("p", "a", 0, 100));
    sim.advanceTo(15);
    assertThat(sim.migrate("p", "gpu-0", List.of(1))).isPresent();
    sim.advanceTo(20);
    assertThat(sim.migrate("p", "gpu-0", List.of(0))).isEmpty();
    assertThat(finishTimes(sim)).containsEntry("p", 145.0);
  }

  @Test
  void noiseScalesEachPodsSoloRateByItsOwnDrawTheSameForTheSameName() {
    SimConfig noisy = SimConfig.instantStarts().withNoise(0.05, 11);
    double f = noisy.noiseFactor("p");
    assertThat(f).isNotEqualTo(1.0).isEqualTo(noisy.noiseFactor("p"));
    assertThat(noisy.noiseFactor("q")).isNotEqualTo(f);
    var sim = new ClusterSimulator(List.of(GPU_NODE), truth(List.of()), noisy);
    sim.bind(gpuPod("p", "a", 0, 100));
    assertThat(finishTimes(sim).get("p")).isCloseTo(100 / f, within(1e-6));
    // Lognormal with median 1: over many pods the log-factors have mean ~0 and sd ~0.05.
    double sum = 0;
    double sq = 0;
    for (int i = 0; i < 4000; i++) {
      double l = Math.log(noisy.noiseFactor("pod-" + i));
      sum += l;
      sq += l * l;
    }
    assertThat(sum / 4000).isCloseTo(0, within(0.005));
    assertThat(Math.sqrt(sq / 4000)).isCloseTo(0.05, within(0.005));
  }

  @Test
  void aRemovedRunningPodReportsItsRunSoFarAndItsPartnerSpeedsUpAtOnce() {
    // Both at 0.5 from 0; at 40 each has done 20. b is removed: a does its last 80 alone, ends at
    // 120.
    var model =
        truth(List.of(PairEntry.measured("a", "b", 0.5), PairEntry.measured("b", "a", 0.5)));
    var sim = new ClusterSimulator(List.of(GPU_NODE), model, SimConfig.instantStarts());
    sim.bind(gpuPod("pa", "a", 0, 100));
    sim.bind(gpuPod("pb", "b", 0, 100));
    sim.advanceTo(40);
    assertThat(sim.rate("pa")).hasValue(0.5);

    var stopped = sim.remove("pb");

    assertThat(stopped)
        .get()
        .extracting(SimEvent.Finished::outcome)
        .isEqualTo(SimEvent.Outcome.STOPPED);
    assertThat(stopped.get().runSeconds()).isCloseTo(40, within(1e-9));
    assertThat(stopped.get().gpuCoTenantShares()).containsEntry("a", 1.0);
    assertThat(sim.rate("pa")).hasValue(1.0);
    assertThat(sim.rate("pb")).isEmpty();
    assertThat(finishTimes(sim)).containsOnlyKeys("pa").containsEntry("pa", 120.0);
    sim.bind(gpuPod("pb", "b", 0, 10)); // its name is free again
  }

  @Test
  void aRemovedWaitingPodFreesItsPlaceInLineAndRemovingTwiceIsHarmless() {
    var sim = new ClusterSimulator(List.of(GPU_NODE), truth(List.of()), new SimConfig(5, 1));
    sim.bind(gpuPod("p", "a", 0, 100));
    sim.bind(gpuPod("q", "a", 1, 100));
    sim.bind(gpuPod("r", "a", 0, 100));

    assertThat(sim.remove("p")).isEmpty(); // starting: q takes its slot now, at 0
    assertThat(sim.remove("p")).isEmpty();

    Map<String, Double> finished = finishTimes(sim);
    assertThat(finished).containsOnlyKeys("q", "r");
    assertThat(finished.get("q")).isCloseTo(5 + 100, within(1e-9));
    assertThat(finished.get("r")).isCloseTo(10 + 100, within(1e-9));
  }

  @Test
  void aServiceOfInfiniteWorkRunsUntilRemovedAndStillSlowsItsCoTenant() {
    var model = truth(List.of(PairEntry.measured("a", "b", 0.5)));
    var sim = new ClusterSimulator(List.of(GPU_NODE), model, SimConfig.instantStarts());
    sim.bind(gpuPod("svc", "b", 0, Double.POSITIVE_INFINITY));
    sim.bind(gpuPod("job", "a", 0, 100));

    assertThat(sim.advanceTo(150))
        .filteredOn(e -> e instanceof SimEvent.Finished)
        .isEmpty(); // job at 0.5 needs 200
    assertThat(sim.nextEventTime()).hasValue(200);
    assertThat(finishTimes(sim)).containsOnlyKeys("job").containsEntry("job", 200.0);
    assertThat(sim.nextEventTime()).isEmpty();
    assertThat(sim.remove("svc")).get().extracting(SimEvent.Finished::runSeconds).isEqualTo(1e9);
  }

  @Test
  void anExtraStartDelaysOnlyThatPod() {
    var sim = new ClusterSimulator(List.of(GPU_NODE), truth(List.of()), new SimConfig(5, 2));
    sim.bind(gpuPod("pulls", "a", 0, 10), 20);
    sim.bind(gpuPod("cached", "a", 1, 10));
    assertThat(finishTimes(sim)).containsEntry("cached", 15.0).containsEntry("pulls", 35.0);
    assertThatThrownBy(() -> sim.bind(gpuPod("bad", "a", 0, 1), -1))
        .hasMessageContaining("extraStartSeconds");
  }
}
