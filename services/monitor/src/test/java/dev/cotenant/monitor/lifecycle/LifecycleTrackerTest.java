package dev.cotenant.monitor.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.cotenant.events.CoTenant;
import dev.cotenant.events.CotenantEvent;
import dev.cotenant.events.GpuRef;
import dev.cotenant.events.JobEvent;
import dev.cotenant.events.PodFinished;
import dev.cotenant.events.PodStarted;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Not a @QuarkusTest: the tracker is plain Java, fed pod states as the informers would. */
class LifecycleTrackerTest {
  static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  static final String NODE = "gpu-node-0";
  static final List<String> UUIDS = List.of("GPU-aaa", "GPU-bbb");

  final MutableClock clock = new MutableClock(T0.plusSeconds(1000));
  final List<JobEvent> events = new ArrayList<>();

  LifecycleTracker tracker() {
    return tracker(events);
  }

  LifecycleTracker tracker(List<JobEvent> sink) {
    LifecycleTracker t =
        new LifecycleTracker(
            clock, Duration.ofHours(24), Duration.ofHours(24), (e, trace) -> sink.add(e));
    t.nodeChanged(node(true));
    return t;
  }

  static NodeInfo node(boolean ready) {
    return new NodeInfo(NODE, ready, UUIDS, Optional.of("Tesla-P100"), 16_000);
  }

  static PodRun pod(String name, int gpu, Integer startS, Integer endS) {
    PodRun p =
        new PodRun(
            "uid-" + name,
            "team-a",
            name,
            "team-a",
            "job-" + name,
            "app-" + name,
            NODE,
            List.of(new GpuRef(gpu, "")),
            startS == null ? Optional.empty() : Optional.of(T0.plusSeconds(startS)),
            Optional.empty(),
            "");
    return endS == null ? p : p.withEnd(success(endS));
  }

  static PodRun.End success(int endS) {
    return new PodRun.End(
        true, Optional.of(T0.plusSeconds(endS)), OptionalInt.of(0), false, "", false);
  }

  static PodRun.End failure(Integer endS, Integer exit, boolean oom, String reason) {
    return new PodRun.End(
        false,
        endS == null ? Optional.empty() : Optional.of(T0.plusSeconds(endS)),
        exit == null ? OptionalInt.empty() : OptionalInt.of(exit),
        oom,
        reason,
        false);
  }

  <T extends JobEvent> T only(Class<T> type, String pod) {
    List<T> found =
        events.stream()
            .filter(type::isInstance)
            .map(type::cast)
            .filter(
                e ->
                    (e instanceof PodStarted s && s.pod().equals(pod))
                        || (e instanceof PodFinished f && f.pod().equals(pod)))
            .toList();
    assertThat(found).hasSize(1);
    return found.get(0);
  }

  static double share(List<CoTenant> coTenants, String pod, CoTenant.Device device) {
    return coTenants.stream()
        .filter(c -> c.pod().equals(pod) && c.device() == device)
        .mapToDouble(CoTenant::share)
        .findFirst()
        .orElse(0);
  }

  /** a [0, 60] and b [20, 100] on card 0, c [0, 100] on card 1 of the same node. */
  void runThree(LifecycleTracker t) {
    t.podChanged(pod("a", 0, null, null)); // bound, not running yet: nothing
    t.podChanged(pod("a", 0, 0, null));
    t.podChanged(pod("c", 1, 0, null));
    t.podChanged(pod("b", 0, 20, null));
    t.podChanged(pod("a", 0, 0, 60));
    t.podChanged(pod("b", 0, 20, 100));
    t.podChanged(pod("c", 1, 0, 100));
  }

  @Test
  void sharesAreTheOverlapOfRunsOnTheSameCardAndNode() {
    LifecycleTracker t = tracker();
    runThree(t);
    assertThat(events).hasSize(6);

    PodFinished a = only(PodFinished.class, "a");
    assertThat(a.outcome()).isEqualTo(PodFinished.Outcome.SUCCEEDED);
    assertThat(a.exitCode()).hasValue(0);
    assertThat(a.startedAt()).isEqualTo(T0);
    assertThat(a.time()).isEqualTo(T0.plusSeconds(60));
    assertThat(a.runSeconds()).isEqualTo(60);
    assertThat(a.gpus()).containsExactly(new GpuRef(0, "GPU-aaa"));
    assertThat(share(a.coTenants(), "b", CoTenant.Device.GPU)).isCloseTo(40 / 60.0, within(1e-9));
    assertThat(share(a.coTenants(), "b", CoTenant.Device.CPU)).isCloseTo(40 / 60.0, within(1e-9));
    assertThat(share(a.coTenants(), "c", CoTenant.Device.CPU)).isEqualTo(1.0);
    assertThat(share(a.coTenants(), "c", CoTenant.Device.GPU)).isZero();
    assertThat(a.coTenants()).extracting(CoTenant::app).contains("app-b", "app-c");

    PodFinished b = only(PodFinished.class, "b");
    assertThat(b.runSeconds()).isEqualTo(80);
    assertThat(share(b.coTenants(), "a", CoTenant.Device.GPU)).isEqualTo(0.5);
    assertThat(share(b.coTenants(), "c", CoTenant.Device.CPU)).isEqualTo(1.0);

    PodFinished c = only(PodFinished.class, "c");
    assertThat(c.coTenants())
        .containsExactly(
            new CoTenant("app-a", "a", CoTenant.Device.CPU, 0.6),
            new CoTenant("app-b", "b", CoTenant.Device.CPU, 0.8));

    PodStarted bStarted = only(PodStarted.class, "b");
    assertThat(bStarted.time()).isEqualTo(T0.plusSeconds(20));
    assertThat(bStarted.jobId()).isEqualTo("job-b");
    assertThat(bStarted.coTenants())
        .containsExactly(
            new CoTenant("app-a", "a", CoTenant.Device.GPU, 1),
            new CoTenant("app-a", "a", CoTenant.Device.CPU, 1),
            new CoTenant("app-c", "c", CoTenant.Device.CPU, 1));
    // Every started pod is announced before it is finished, and finished runs are let go.
    assertThat(events.indexOf(only(PodStarted.class, "a"))).isLessThan(events.indexOf(a));
    assertThat(t.counts().runs()).isZero();
  }

  @Test
  void theSameStatesAgainAnnounceNothing() {
    LifecycleTracker t = tracker();
    runThree(t);
    int before = events.size();
    runThree(t); // an informer relist delivers every pod again
    assertThat(events).hasSize(before);
  }

  @Test
  void aFreshTrackerOverTheSameClusterEmitsTheSameIdsAndNothingNew() {
    LifecycleTracker first = tracker();
    runThree(first);
    List<JobEvent> again = new ArrayList<>();
    LifecycleTracker restarted = tracker(again);
    // The list a restarted monitor gets, in an order of the API server's choosing.
    restarted.replay(
        List.of(node(true)),
        List.of(pod("c", 1, 0, 100), pod("b", 0, 20, 100), pod("a", 0, 0, 60)));

    assertThat(ids(again)).isEqualTo(ids(events));
    // The finished runs, what the profiler learns from, are the very same events.
    assertThat(finished(again)).containsExactlyInAnyOrderElementsOf(finished(events));
    // Replayed once more (an informer relist after the replay): nothing.
    restarted.podChanged(pod("a", 0, 0, 60));
    assertThat(again).hasSize(6);
  }

  @Test
  void aRestartWhilePodsRunReannouncesTheirStartsAndFinishesThemOnce() {
    LifecycleTracker first = tracker();
    first.podChanged(pod("a", 0, 0, null));
    first.podChanged(pod("b", 0, 20, null));
    List<JobEvent> after = new ArrayList<>();
    LifecycleTracker restarted = tracker(after);
    restarted.replay(List.of(node(true)), List.of(pod("b", 0, 20, null), pod("a", 0, 0, null)));
    assertThat(ids(after)).isEqualTo(ids(events));
    restarted.podChanged(pod("a", 0, 0, 60));
    restarted.podChanged(pod("b", 0, 20, 100));
    assertThat(after).hasSize(4);
    PodFinished a = (PodFinished) after.get(2);
    assertThat(share(a.coTenants(), "b", CoTenant.Device.GPU)).isCloseTo(40 / 60.0, within(1e-9));
  }

  @Test
  void podsThatEndedBeforeTheReplayWindowAreNotAnnouncedAgain() {
    clock.set(T0.plusSeconds(2 * 86_400));
    List<JobEvent> sink = new ArrayList<>();
    LifecycleTracker t = tracker(sink);
    t.replay(List.of(node(true)), List.of(pod("old", 0, 0, 60), pod("running", 1, 0, null)));
    assertThat(sink).singleElement().isInstanceOf(PodStarted.class);
    assertThat(((PodStarted) sink.get(0)).pod()).isEqualTo("running");
  }

  @Test
  void anOomKilledContainerIsOomKilledWithItsExitCode() {
    LifecycleTracker t = tracker();
    t.podChanged(pod("x", 0, 0, null));
    t.podChanged(pod("x", 0, 0, null).withEnd(failure(5, 137, true, "")));
    PodFinished x = only(PodFinished.class, "x");
    assertThat(x.outcome()).isEqualTo(PodFinished.Outcome.OOM_KILLED);
    assertThat(x.exitCode()).hasValue(137);
    assertThat(x.runSeconds()).isEqualTo(5);
  }

  @Test
  void outcomesOfFailures() {
    LifecycleTracker t = tracker();
    PodRun.End byNode = failure(null, null, false, "");
    assertThat(t.outcome(NODE, failure(9, 1, false, ""))).isEqualTo(PodFinished.Outcome.FAILED);
    assertThat(t.outcome(NODE, failure(9, 137, false, "Evicted")))
        .isEqualTo(PodFinished.Outcome.EVICTED);
    assertThat(t.outcome(NODE, failure(9, null, false, "NodeLost")))
        .isEqualTo(PodFinished.Outcome.EVICTED);
    assertThat(
            t.outcome(
                NODE,
                new PodRun.End(false, Optional.empty(), OptionalInt.empty(), false, "", true)))
        .isEqualTo(PodFinished.Outcome.EVICTED);
    assertThat(t.outcome(NODE, byNode)).isEqualTo(PodFinished.Outcome.FAILED);
    t.nodeChanged(node(false));
    assertThat(t.outcome(NODE, byNode)).isEqualTo(PodFinished.Outcome.EVICTED);
    assertThat(t.outcome("gone", byNode)).isEqualTo(PodFinished.Outcome.EVICTED);
  }

  @Test
  void podsFailedWithTheirNodeAreEvictedAtTheMonitorsTimeWhenTheySayNone() {
    LifecycleTracker t = tracker();
    t.podChanged(pod("a", 0, 0, null));
    t.nodeChanged(node(false));
    clock.set(T0.plusSeconds(30));
    t.podChanged(pod("a", 0, 0, null).withEnd(failure(null, null, false, "")));
    PodFinished a = only(PodFinished.class, "a");
    assertThat(a.outcome()).isEqualTo(PodFinished.Outcome.EVICTED);
    assertThat(a.exitCode()).isEmpty();
    assertThat(a.time()).isEqualTo(T0.plusSeconds(30));
    assertThat(a.runSeconds()).isEqualTo(30);
  }

  @Test
  void aPodDeletedWhileRunningEndsThenAndOneDeletedBeforeItRanSaysNothing() {
    LifecycleTracker t = tracker();
    t.podChanged(pod("a", 0, 0, null));
    t.podChanged(pod("pending", 1, null, null));
    clock.set(T0.plusSeconds(42));
    t.podDeleted(pod("a", 0, 0, null));
    t.podDeleted(pod("pending", 1, null, null));
    assertThat(events).hasSize(2);
    PodFinished a = only(PodFinished.class, "a");
    assertThat(a.outcome()).isEqualTo(PodFinished.Outcome.FAILED);
    assertThat(a.runSeconds()).isEqualTo(42);
    assertThat(t.counts().pods()).isZero();
    assertThat(t.counts().runs()).isZero();
  }

  @Test
  void aPodThatFailedBeforeItsContainersRanIsFinishedWithoutAStart() {
    LifecycleTracker t = tracker();
    t.podChanged(pod("a", 0, null, null).withEnd(failure(7, null, false, "")));
    PodFinished a = only(PodFinished.class, "a");
    assertThat(events).hasSize(1);
    assertThat(a.runSeconds()).isZero();
    assertThat(a.startedAt()).isEqualTo(a.time());
    assertThat(a.coTenants()).isEmpty();
  }

  @Test
  void aCardNamedByUuidOnlyGetsItsIndexFromTheNodeAndMeetsPodsNamingTheIndex() {
    LifecycleTracker t = tracker();
    PodRun byUuid =
        new PodRun(
            "uid-u",
            "kubeflow",
            "u",
            "kubeflow",
            "kubeflow/u",
            "u-app",
            NODE,
            List.of(new GpuRef(-1, "GPU-bbb")),
            Optional.of(T0),
            Optional.empty(),
            "");
    t.podChanged(byUuid);
    t.podChanged(pod("b", 1, 10, null));
    assertThat(t.podsOn(NODE, 1, "GPU-bbb")).containsExactly("u", "b");
    PodStarted b = only(PodStarted.class, "b");
    assertThat(b.gpus()).containsExactly(new GpuRef(1, "GPU-bbb"));
    assertThat(b.coTenants()).contains(new CoTenant("u-app", "u", CoTenant.Device.GPU, 1));
  }

  static Set<String> ids(List<? extends CotenantEvent> events) {
    return events.stream().map(CotenantEvent::eventId).collect(Collectors.toSet());
  }

  static List<PodFinished> finished(List<JobEvent> events) {
    return events.stream()
        .filter(PodFinished.class::isInstance)
        .map(PodFinished.class::cast)
        .toList();
  }

  static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void set(Instant t) {
      now = t;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
