package dev.cotenant.profiler.ingest;

import static dev.cotenant.profiler.support.Events.finished;
import static dev.cotenant.profiler.support.Events.gpu;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cotenant.events.CoTenant;
import dev.cotenant.events.PodFinished.Outcome;
import dev.cotenant.interference.learn.Observation;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Plain JUnit: the mapping is a pure function of the event. */
class ObservationMapperTest {

  @Test
  void successIsACompletedRunWithSummedGpuSharesPerApp() {
    var event =
        finished(
            "resnet",
            "resnet-0",
            Outcome.SUCCEEDED,
            600,
            gpu("vgg", "vgg-0", 0.5),
            gpu("vgg", "vgg-1", 0.25),
            gpu("bert", "bert-0", 1.0),
            new CoTenant("lammps", "lammps-0", CoTenant.Device.CPU, 1.0),
            gpu("resnet", "resnet-0", 1.0)); // the subject itself, as a monitor may list it

    Observation o = ObservationMapper.observation(event).orElseThrow();

    assertThat(o.app()).isEqualTo("resnet");
    assertThat(o.runSeconds()).isEqualTo(600);
    assertThat(o.oomKilled()).isFalse();
    assertThat(o.gpuShares()).isEqualTo(Map.of("vgg", 0.75, "bert", 1.0));
  }

  @Test
  void oomKilledIsEvidenceOfIncompatibility() {
    Observation o =
        ObservationMapper.observation(
                finished("vgg", "vgg-0", Outcome.OOM_KILLED, 30, gpu("cnn", "cnn-0", 1)))
            .orElseThrow();
    assertThat(o.oomKilled()).isTrue();
    assertThat(o.gpuShares()).containsEntry("cnn", 1.0);
    // Killed as it started: 0 s, still evidence.
    assertThat(
            ObservationMapper.observation(
                finished("vgg", "vgg-1", Outcome.OOM_KILLED, 0, gpu("cnn", "cnn-0", 1))))
        .isPresent();
  }

  @Test
  void failedEvictedAndRunsWithoutTimeTeachNothing() {
    assertThat(ObservationMapper.observation(finished("a", "a-0", Outcome.FAILED, 10))).isEmpty();
    assertThat(ObservationMapper.observation(finished("a", "a-0", Outcome.EVICTED, 10))).isEmpty();
    assertThat(ObservationMapper.observation(finished("a", "a-0", Outcome.SUCCEEDED, 0))).isEmpty();
  }

  @Test
  void sharesOutsideZeroToOneAreDropped() {
    assertThat(
            ObservationMapper.gpuShares(
                "p", java.util.List.of(gpu("x", "x-0", -0.1), gpu("y", "y-0", Double.NaN))))
        .isEmpty();
  }
}
