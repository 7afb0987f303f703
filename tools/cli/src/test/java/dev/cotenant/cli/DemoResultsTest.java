package dev.cotenant.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.cotenant.events.CoTenant;
import dev.cotenant.events.GpuRef;
import dev.cotenant.events.JobEvent;
import dev.cotenant.events.JobPlaced;
import dev.cotenant.events.PodAssignment;
import dev.cotenant.events.PodBound;
import dev.cotenant.events.PodFinished;
import dev.cotenant.events.PodStarted;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The demo's arithmetic on synthetic events: wall milliseconds at 100x become seed seconds. */
class DemoResultsTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final double SPEED = 100;

  private static Instant at(long millis) {
    return T0.plusMillis(millis);
  }

  private static PodBound bound(String job, String pod, long ms, int gpu) {
    return new PodBound(
        UUID.randomUUID().toString(), at(ms), "demo", job, pod, "n", List.of(new GpuRef(gpu, "u")));
  }

  private static PodStarted started(String job, String pod, long ms) {
    return new PodStarted(
        UUID.randomUUID().toString(), at(ms), "demo", job, "app", pod, "n", List.of(), List.of());
  }

  private static PodFinished finished(
      String job, String pod, long startMs, long endMs, PodFinished.Outcome outcome) {
    return new PodFinished(
        UUID.randomUUID().toString(),
        at(endMs),
        "demo",
        job,
        "app",
        pod,
        "n",
        List.of(),
        outcome,
        OptionalInt.of(0),
        at(startMs),
        (endMs - startMs) / 1000.0,
        List.of());
  }

  private static JobPlaced placed(String job, long ms) {
    return new JobPlaced(
        UUID.randomUUID().toString(), at(ms), "demo", job, "spread", List.of(), List.of());
  }

  private static List<JobEvent> run(String job, String pod, long bound, long start, long end) {
    return List.of(
        bound(job, pod, bound, 0),
        started(job, pod, start),
        finished(job, pod, start, end, PodFinished.Outcome.SUCCEEDED));
  }

  @Test
  void makespanRunsFromTheFirstStartToTheLastEndAndEachRunIsStartToEndTimesTheSpeed() {
    List<JobEvent> events = new ArrayList<>();
    events.addAll(run("j1", "j1-0", 0, 20, 34_520)); // 34.5 s of wall = 3450 simulated s
    events.addAll(run("j2", "j2-0", 5, 40, 890)); // 0.85 s = 85 s
    DemoResults.Batch b = DemoResults.batch(events, Map.of("j1", "L1", "j2", "T1"), SPEED);
    assertThat(b.makespanSeconds()).isCloseTo(3450, within(1e-6));
    assertThat(b.runSeconds()).containsEntry("L1", 3450.0).containsEntry("T1", 85.0);
    assertThat(b.meanRunSeconds()).isCloseTo((3450 + 85) / 2.0, within(1e-9));
    assertThat(b.succeeded()).isEqualTo(2);
    assertThat(b.failed()).isZero();
  }

  @Test
  void aFailedPodIsCountedNotTimedAndAPodStillRunningIsNeither() {
    List<JobEvent> events = new ArrayList<>(run("j1", "j1-0", 0, 10, 1010));
    events.add(bound("j2", "j2-0", 0, 1));
    events.add(finished("j2", "j2-0", 10, 20, PodFinished.Outcome.OOM_KILLED));
    events.add(bound("j3", "j3-0", 0, 2));
    DemoResults.Batch b = DemoResults.batch(events, Map.of(), SPEED);
    assertThat(b.failed()).isEqualTo(1);
    assertThat(b.succeeded()).isEqualTo(1);
    assertThat(b.makespanSeconds()).isCloseTo(100, within(1e-9));
  }

  @Test
  void aRepeatedEventChangesNothingAndAMissedStartIsTakenFromTheFinish() {
    PodFinished f = finished("j1", "j1-0", 100, 600, PodFinished.Outcome.SUCCEEDED);
    List<JobEvent> events = List.of(bound("j1", "j1-0", 0, 3), f, f);
    DemoResults.Batch b = DemoResults.batch(events, Map.of("j1", "Q1"), SPEED);
    assertThat(b.runSeconds()).containsExactly(Map.entry("Q1", 50.0));
    assertThat(b.makespanSeconds()).isCloseTo(50, within(1e-9));
    assertThat(DemoResults.cards(events, Map.of("j1", "Q1"))).containsEntry("Q1", List.of(3));
  }

  @Test
  void aGangBoundAtOnceHasNoBoundSpreadWhilePodsPlacedOneByOneWaited() {
    List<JobEvent> gang = new ArrayList<>(List.of(placed("g", 0)));
    for (int i = 0; i < 3; i++) {
      // bound together, started 20 ms apart (a node's serial starts), each 1 s of work
      gang.addAll(run("g", "g-" + i, 0, 20L * (i + 1), 20L * (i + 1) + 1000));
    }
    DemoResults.FanOut g = DemoResults.fanOut(gang, SPEED, 35);
    assertThat(g.replicas()).isEqualTo(3);
    assertThat(g.boundSpreadSeconds()).isZero();
    assertThat(g.startSpreadSeconds()).isCloseTo(4, within(1e-9));
    assertThat(g.fanOutSeconds()).isCloseTo(106, within(1e-9));
    assertThat(g.pipelineSeconds()).isCloseTo(141, within(1e-9));
    assertThat(g.placedBeforeAnyEnded()).isTrue();

    List<JobEvent> oneByOne = new ArrayList<>(List.of(placed("a", 0), placed("b", 1025)));
    oneByOne.addAll(run("a", "a-0", 0, 20, 1020));
    oneByOne.addAll(run("b", "b-0", 1030, 1050, 2050)); // waited for a's core
    DemoResults.FanOut p = DemoResults.fanOut(oneByOne, SPEED, 0);
    assertThat(p.boundSpreadSeconds()).isCloseTo(103, within(1e-9));
    assertThat(p.fanOutSeconds()).isCloseTo(205, within(1e-9));
    assertThat(p.placedBeforeAnyEnded()).isFalse();
  }

  @Test
  void autoReplicasAreThoseOfTheJobPlacedAndNothingFinishedIsNaN() {
    JobPlaced placed =
        new JobPlaced(
            "e",
            T0,
            "demo",
            "auto",
            "spread",
            List.of(
                new PodAssignment("auto-0", 0, "n", List.of()),
                new PodAssignment("auto-1", 1, "n", List.of())),
            List.of());
    assertThat(DemoResults.placedReplicas(List.of(placed))).hasValue(2);
    DemoResults.FanOut none = DemoResults.fanOut(List.of(placed), SPEED, 35);
    assertThat(none.replicas()).isZero();
    assertThat(none.pipelineSeconds()).isNaN();
  }

  @Test
  void coLocatedPairsComeFromTheMonitorsGpuCoTenantsAndMeasuredOnesFromTheProfiles() {
    PodFinished f =
        new PodFinished(
            "e1",
            T0,
            "demo",
            "j",
            "lammps",
            "j-0",
            "n",
            List.of(),
            PodFinished.Outcome.SUCCEEDED,
            OptionalInt.of(0),
            T0,
            1,
            List.of(
                new CoTenant("gromacs", "k-0", CoTenant.Device.GPU, 0.5),
                new CoTenant("qmcpack", "q-0", CoTenant.Device.CPU, 1.0)));
    assertThat(Seed001Demo.coLocated(List.of(f))).containsExactly("lammps|gromacs");
    var profile =
        new dev.cotenant.events.AppProfile(
            "p",
            T0,
            "lammps",
            3,
            java.util.OptionalDouble.of(20.9),
            8499,
            0.2,
            0.1,
            List.of(
                new dev.cotenant.events.AppProfile.PairEstimate(
                    "gromacs", 0.97, 0.01, 2, false, false),
                new dev.cotenant.events.AppProfile.PairEstimate(
                    "qmcpack", 0.9, 0.2, 0, true, false)));
    assertThat(Seed001Demo.measured(Map.of("lammps", profile))).containsExactly("lammps|gromacs");
  }
}
