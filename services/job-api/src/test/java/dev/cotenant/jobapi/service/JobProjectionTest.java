package dev.cotenant.jobapi.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cotenant.events.JobCancelRequested;
import dev.cotenant.events.JobCancelled;
import dev.cotenant.events.JobEvent;
import dev.cotenant.events.JobFailed;
import dev.cotenant.events.JobPlaced;
import dev.cotenant.events.JobQueued;
import dev.cotenant.events.JobUnschedulable;
import dev.cotenant.events.PodAssignment;
import dev.cotenant.events.PodStarted;
import dev.cotenant.events.UnschedulableReason;
import dev.cotenant.jobapi.support.JobEvents;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Not a @QuarkusTest: the ordering rules are a pure fold over events. */
class JobProjectionTest {
  private static final String JOB = "0b6c1f0e-5b1d-4d8e-9a57-3f1c2f4b9a10";
  private static final Instant T0 = JobEvents.T0;

  static IntStream seeds() {
    return IntStream.range(0, 20);
  }

  /** Any arrival order of a job's life ends in the same state as the publishing order. */
  @ParameterizedTest
  @MethodSource("seeds")
  void everyOrderOfALifeEndsInTheSameState(int seed) {
    List<JobEvent> life = JobEvents.lifecycle("lab", JOB);
    List<JobEvent> shuffled = new ArrayList<>(life);
    Collections.shuffle(shuffled, new Random(seed));
    assertThat(fold(shuffled)).isEqualTo(fold(life));
    assertThat(fold(life).status()).isEqualTo(JobStatus.SUCCEEDED);
  }

  /** An interactive job's life: its endpoints survive every order and every later event. */
  @ParameterizedTest
  @MethodSource("seeds")
  void theEndpointsOfThePlacementSurviveEveryOrder(int seed) {
    List<String> endpoints = List.of("nb.lab.svc:8888");
    List<JobEvent> life = JobEvents.lifecycle("lab", JOB, endpoints);
    List<JobEvent> shuffled = new ArrayList<>(life);
    Collections.shuffle(shuffled, new Random(seed));
    JobState state = fold(shuffled);
    assertThat(state).isEqualTo(fold(life));
    assertThat(state.endpoints()).isEqualTo(endpoints);
    assertThat(state.endpointsAt()).isEqualTo(T0.plusMillis(20));
  }

  @Test
  void aLaterEventWithoutEndpointsKeepsThem() {
    var placed = placed(T0, List.of("nb.lab.svc:8888", "nb.lab.svc:6006"));
    var placedAgain = placed(T0.plusSeconds(5), List.of());
    var started =
        new PodStarted(
            JobEvents.id(),
            T0.plusSeconds(6),
            "lab",
            JOB,
            "jupyter",
            JOB + "-0",
            "n1",
            List.of(),
            List.of());
    var cancelled = new JobCancelled(JobEvents.id(), T0.plusSeconds(9), "lab", JOB, "by kim");
    for (List<JobEvent> order :
        List.of(
            List.<JobEvent>of(placed, placedAgain, started, cancelled),
            List.<JobEvent>of(cancelled, started, placedAgain, placed))) {
      JobState state = fold(order);
      assertThat(state.endpoints()).containsExactly("nb.lab.svc:8888", "nb.lab.svc:6006");
      assertThat(state.endpointsAt()).isEqualTo(T0);
      assertThat(state.status()).isEqualTo(JobStatus.CANCELLED);
    }
  }

  @Test
  void theLaterOfTwoPlacementsNamesTheEndpoints() {
    var first = placed(T0, List.of("10.0.0.7:8888"));
    var second = placed(T0.plusSeconds(30), List.of("10.0.0.9:8888"));
    assertThat(fold(List.of(first, second)).endpoints()).containsExactly("10.0.0.9:8888");
    assertThat(fold(List.of(second, first)).endpoints()).containsExactly("10.0.0.9:8888");
    assertThat(fold(List.of(second, first)).placedAt()).isEqualTo(T0);
  }

  @Test
  void aBatchJobHasNoEndpoints() {
    JobState state = fold(JobEvents.lifecycle("lab", JOB));
    assertThat(state.endpoints()).isEmpty();
    assertThat(state.endpointsAt()).isNull();
  }

  @Test
  void aLaterPeerOfTheSameRankWinsAnEarlierOneDoesNot() {
    var queued = new JobQueued(JobEvents.id(), T0, "lab", JOB, 0, "gang");
    var stuck =
        new JobUnschedulable(
            JobEvents.id(),
            T0.plusSeconds(1),
            "lab",
            JOB,
            List.of(new UnschedulableReason("GpuMemoryFit", "INSUFFICIENT_GPU_MEMORY", 3, "no")));
    assertThat(fold(List.of(queued, stuck)).status()).isEqualTo(JobStatus.UNSCHEDULABLE);
    assertThat(fold(List.of(stuck, queued)).status()).isEqualTo(JobStatus.UNSCHEDULABLE);
    assertThat(fold(List.of(stuck, queued)).reason()).isEqualTo("INSUFFICIENT_GPU_MEMORY: no");
  }

  @Test
  void theFirstTerminalStateStays() {
    var failed = new JobFailed(JobEvents.id(), T0.plusSeconds(9), "lab", JOB, "OOM_KILLED", "gpu");
    var cancel = new JobCancelRequested(JobEvents.id(), T0.plusSeconds(10), "lab", JOB, "kim");
    JobState state = fold(List.of(failed, cancel));
    assertThat(state.status()).isEqualTo(JobStatus.FAILED);
    assertThat(state.reason()).isEqualTo("OOM_KILLED: gpu");
    assertThat(state.finishedAt()).isEqualTo(T0.plusSeconds(9));
  }

  private static JobPlaced placed(Instant t, List<String> endpoints) {
    return new JobPlaced(
        JobEvents.id(),
        t,
        "lab",
        JOB,
        "binpack",
        List.of(new PodAssignment(JOB + "-0", 0, "n1", List.of())),
        List.of(),
        endpoints);
  }

  private static JobState fold(List<JobEvent> events) {
    JobState state = JobState.submitted();
    for (JobEvent event : events) {
      state = JobProjection.apply(state, event);
    }
    return state;
  }
}
