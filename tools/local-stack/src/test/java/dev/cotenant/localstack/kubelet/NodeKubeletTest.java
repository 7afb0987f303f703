package dev.cotenant.localstack.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import dev.cotenant.interference.AppInfo;
import dev.cotenant.interference.InterferenceMatrix;
import dev.cotenant.interference.MatrixModel;
import dev.cotenant.interference.PairEntry;
import dev.cotenant.localstack.kubelet.PodState.ContainerKind;
import dev.cotenant.localstack.kubelet.PodState.Phase;
import dev.cotenant.sim.SimConfig;
import dev.cotenant.sim.cluster.NodeSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** Timelines worked out by hand: 100x, so a simulated second is 10 ms of the fake wall clock. */
class NodeKubeletTest {
  static final NodeSpec NODE = new NodeSpec("gpu-node", 8000, 65536, 2, "P100", 16384);

  static final GroundTruth TRUTH =
      new GroundTruth(
          new MatrixModel(
              new InterferenceMatrix(
                  "p100",
                  List.of(AppInfo.named("a"), AppInfo.named("b")),
                  List.of(PairEntry.measured("a", "b", 0.5), PairEntry.measured("b", "a", 0.8)))),
          Map.of("a", 100.0, "b", 100.0),
          300,
          "test");

  final FakeWall wall = new FakeWall();
  final Instant t0 = wall.now();

  NodeKubelet kubelet(int parallelStarts) {
    return new NodeKubelet(
        NODE,
        3,
        "127.100.0.4",
        List.of("GPU-0", "GPU-1"),
        TRUTH,
        new SimConfig(10, parallelStarts),
        100,
        0,
        wall);
  }

  static BoundPod pod(String name, String app, int card, long shareMiB, boolean always) {
    return new BoundPod(
        "uid-" + name,
        "demo",
        name,
        "gpu-node",
        app,
        "img:1",
        List.of("main"),
        always,
        shareMiB > 0 ? 0 : 1,
        List.of(),
        List.of(card),
        shareMiB > 0,
        shareMiB,
        1000,
        OptionalDouble.empty(),
        0,
        Optional.empty());
  }

  Instant at(double millis) {
    return t0.plus(Duration.ofNanos(Math.round(millis * 1e6)));
  }

  static void closeTo(Optional<Instant> actual, Instant expected) {
    assertThat(actual).isPresent();
    assertThat(actual.get()).isCloseTo(expected, within(1, ChronoUnit.MILLIS));
  }

  @Test
  void aBoundPodIsCreatingThenRunningAfterItsStartThenCompleted() {
    NodeKubelet kubelet = kubelet(1);

    PodState pending = single(kubelet.admit(pod("p", "a", 0, 4000, false)));
    assertThat(pending.phase()).isEqualTo(Phase.Pending);
    assertThat(pending.container().reason()).isEqualTo("ContainerCreating");
    assertThat(pending.startTime()).isEqualTo(t0);
    assertThat(pending.hostIp()).isEqualTo("127.100.0.4");
    assertThat(pending.podIp()).isEqualTo("10.0.3.2");
    assertThat(kubelet.nanosUntilNextEvent().getAsLong()).isCloseTo(100_000_000L, within(2L));

    wall.advanceMillis(99);
    assertThat(kubelet.advance()).isEmpty();
    wall.advanceMillis(1.001);
    PodState running = single(kubelet.advance());
    assertThat(running.phase()).isEqualTo(Phase.Running);
    assertThat(running.ready()).isTrue();
    closeTo(running.container().startedAt(), at(100));
    assertThat(running.readyChangedAt()).isCloseTo(at(100), within(1, ChronoUnit.MILLIS));

    wall.advanceMillis(1000);
    PodState done = single(kubelet.advance());
    assertThat(done.phase()).isEqualTo(Phase.Succeeded);
    assertThat(done.container().kind()).isEqualTo(ContainerKind.TERMINATED);
    assertThat(done.container().reason()).isEqualTo("Completed");
    assertThat(done.container().exitCode()).isZero();
    closeTo(done.container().startedAt(), at(100));
    closeTo(done.container().finishedAt(), at(1100));
    assertThat(done.ready()).isFalse();
    assertThat(kubelet.nanosUntilNextEvent()).isEmpty();
  }

  @Test
  void twoPodsOnOneCardSlowEachOtherByTheGroundTruth() {
    // Both start at 10: a at 0.5, b at 0.8. b's 100 s take 125 s (ends at 135); a has done 62.5
    // by then and does its last 37.5 alone: it ends at 172.5.
    NodeKubelet kubelet = kubelet(2);
    kubelet.admit(pod("pa", "a", 0, 4000, false));
    kubelet.admit(pod("pb", "b", 0, 4000, false));
    wall.advanceMillis(100);
    assertThat(kubelet.advance()).extracting(PodState::phase).containsOnly(Phase.Running);
    assertThat(kubelet.cards().get(0).tenants())
        .extracting(NodeKubelet.Tenant::pod, NodeKubelet.Tenant::rate)
        .containsExactlyInAnyOrder(tuple("pa", 0.5), tuple("pb", 0.8));
    wall.advanceMillis(2000);
    Map<String, PodState> ended = byName(kubelet.advance());
    closeTo(ended.get("pb").container().finishedAt(), at(1350));
    closeTo(ended.get("pa").container().finishedAt(), at(1725));
  }

  @Test
  void aCardWhoseMemoryIsTakenOomKillsTheNextPodAtItsStart() {
    NodeKubelet kubelet = kubelet(2);
    kubelet.admit(pod("first", "a", 0, 0, false)); // a whole card reserves all 16384 MiB
    kubelet.admit(pod("second", "b", 0, 0, false));
    wall.advanceMillis(100);
    Map<String, PodState> states = byName(kubelet.advance());
    PodState killed =
        states.get("second").phase() == Phase.Failed ? states.get("second") : states.get("first");
    assertThat(killed.phase()).isEqualTo(Phase.Failed);
    assertThat(killed.container().reason()).isEqualTo("OOMKilled");
    assertThat(killed.container().exitCode()).isEqualTo(137);
    closeTo(killed.container().finishedAt(), at(100));
    assertThat(states.values()).extracting(PodState::phase).contains(Phase.Running);
  }

  @Test
  void aNonZeroExitCodeEndsInErrorAndAnUnknownCardIsRefused() {
    NodeKubelet kubelet = kubelet(1);
    BoundPod failing =
        new BoundPod(
            "u1",
            "demo",
            "f",
            "gpu-node",
            "a",
            "img",
            List.of("main"),
            false,
            0,
            List.of(),
            List.of(),
            false,
            0,
            100,
            OptionalDouble.of(5),
            3,
            Optional.empty());
    kubelet.admit(failing);
    wall.advanceMillis(200);
    List<PodState> states = kubelet.advance();
    PodState last = states.get(states.size() - 1);
    assertThat(last.phase()).isEqualTo(Phase.Failed);
    assertThat(last.container().reason()).isEqualTo("Error");
    assertThat(last.container().exitCode()).isEqualTo(3);
    closeTo(last.container().finishedAt(), at(150));

    BoundPod lost =
        new BoundPod(
            "u2",
            "demo",
            "g",
            "gpu-node",
            "a",
            "img",
            List.of("main"),
            false,
            1,
            List.of("GPU-elsewhere"),
            List.of(),
            false,
            0,
            100,
            OptionalDouble.empty(),
            0,
            Optional.empty());
    PodState refused = single(kubelet.admit(lost));
    assertThat(refused.phase()).isEqualTo(Phase.Failed);
    assertThat(refused.reason()).isEqualTo("UnexpectedAdmissionError");
    assertThat(refused.container().exists()).isFalse();
  }

  @Test
  void aNodeGoingDownFailsItsPodsAndAdmitsThoseBoundMeanwhileWhenBack() {
    NodeKubelet kubelet = kubelet(1);
    kubelet.admit(pod("runs", "a", 0, 4000, false));
    kubelet.admit(pod("waits", "b", 1, 4000, false));
    wall.advanceMillis(150); // runs started at 100; waits starts at 200
    kubelet.advance();

    Map<String, PodState> lost = byName(kubelet.down());
    assertThat(kubelet.ready()).isFalse();
    assertThat(lost.values())
        .allSatisfy(
            s -> {
              assertThat(s.phase()).isEqualTo(Phase.Failed);
              assertThat(s.reason()).isEqualTo("NodeLost");
              assertThat(s.container().reason()).isEqualTo("ContainerStatusUnknown");
              assertThat(s.container().exitCode()).isEqualTo(137);
              closeTo(s.container().finishedAt(), at(150));
            });
    closeTo(lost.get("runs").container().startedAt(), at(100));
    assertThat(lost.get("waits").container().startedAt()).isEmpty();
    assertThat(kubelet.nanosUntilNextEvent()).isEmpty();
    assertThat(kubelet.cards()).allSatisfy(card -> assertThat(card.tenants()).isEmpty());

    assertThat(kubelet.admit(pod("later", "a", 0, 4000, false))).isEmpty();
    wall.advanceMillis(1000);
    PodState admitted = single(kubelet.up());
    assertThat(admitted.pod().name()).isEqualTo("later");
    assertThat(admitted.phase()).isEqualTo(Phase.Pending);
    assertThat(admitted.startTime()).isEqualTo(at(1150));
  }

  @Test
  void aServiceRunsUntilDeletedAndItsCoTenantSpeedsUpThen() {
    // a runs beside the service b at 0.5 from 10 (start) to 60: 25 done. b is deleted; a's last 75
    // take 75 s alone: it ends at 135.
    NodeKubelet kubelet = kubelet(2);
    kubelet.admit(pod("svc", "b", 0, 4000, true));
    kubelet.admit(pod("job", "a", 0, 4000, false));
    wall.advanceMillis(600);
    kubelet.advance();
    assertThat(kubelet.podCounts()).containsExactly(2, 2);

    assertThat(kubelet.remove("uid-svc")).isEmpty();
    assertThat(kubelet.cards().get(0).tenants())
        .singleElement()
        .satisfies(t -> assertThat(t.rate()).isCloseTo(1.0, within(1e-9)));
    wall.advanceMillis(1000);
    PodState done = single(kubelet.advance());
    assertThat(done.pod().name()).isEqualTo("job");
    closeTo(done.container().finishedAt(), at(1350));
    assertThat(kubelet.remove("uid-job")).isEmpty();
    assertThat(kubelet.podCounts()).containsExactly(0, 0);
  }

  @Test
  void aServiceOnACardThatCannotHoldItBacksOffInsteadOfFailing() {
    NodeKubelet kubelet = kubelet(2);
    kubelet.admit(pod("whole", "a", 0, 0, false));
    wall.advanceMillis(100);
    kubelet.advance();
    kubelet.admit(pod("svc", "b", 0, 4000, true));
    wall.advanceMillis(100);
    List<PodState> states = kubelet.advance();
    PodState svc = states.get(states.size() - 1); // it started, and was killed at once
    assertThat(svc.phase()).isEqualTo(Phase.Running);
    assertThat(svc.ready()).isFalse();
    assertThat(svc.container().reason()).isEqualTo("CrashLoopBackOff");
    assertThat(svc.container().restartCount()).isEqualTo(1);
    assertThat(svc.lastTerminated())
        .get()
        .extracting(PodState.Container::reason)
        .isEqualTo("OOMKilled");
  }

  static PodState single(List<PodState> states) {
    assertThat(states).hasSize(1);
    return states.get(0);
  }

  static Map<String, PodState> byName(List<PodState> states) {
    Map<String, PodState> last = new LinkedHashMap<>();
    states.forEach(s -> last.put(s.pod().name(), s));
    return last;
  }
}
