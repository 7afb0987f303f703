package dev.cotenant.jobapi.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cotenant.events.JobCancelRequested;
import dev.cotenant.events.JobEvent;
import dev.cotenant.events.JobFailed;
import dev.cotenant.events.JobQueued;
import dev.cotenant.events.JobUnschedulable;
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

  private static JobState fold(List<JobEvent> events) {
    JobState state = JobState.submitted();
    for (JobEvent event : events) {
      state = JobProjection.apply(state, event);
    }
    return state;
  }
}
