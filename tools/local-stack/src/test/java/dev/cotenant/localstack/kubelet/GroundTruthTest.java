package dev.cotenant.localstack.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cotenant.sim.workload.Replicas;
import dev.cotenant.sim.workload.WorkloadJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroundTruthTest {

  @Test
  void theDefaultIsSeed001sCalibratedTruthAndItsAppsRunTimes() {
    GroundTruth truth = GroundTruth.load(Optional.empty(), Optional.empty(), 300);
    assertThat(truth.model().matrix().device()).isEqualTo("titan-xp");
    assertThat(truth.soloSeconds()).containsEntry("lammps", 2092.9209).containsKey("tensorflow");
    assertThat(truth.profile("gromacs")).isPresent();
    assertThat(truth.model().predict("gromacs", "qmcpack").normalizedThroughput())
        .isEqualTo(0.3403);
    assertThat(truth.source()).contains("seed001");
  }

  @Test
  void aPodsOwnRunTimeWinsThenItsAppsThenTheDefault() {
    GroundTruth truth = GroundTruth.load(Optional.empty(), Optional.empty(), 300);
    assertThat(truth.soloSecondsOf("lammps", OptionalDouble.of(7))).isEqualTo(7);
    assertThat(truth.soloSecondsOf("lammps", OptionalDouble.empty())).isEqualTo(2092.9209);
    assertThat(truth.soloSecondsOf("nobody-knows", OptionalDouble.empty())).isEqualTo(300);
  }

  @Test
  void aGivenFileBringsNoRunTimesUnlessAWorkloadDoesAndTheMedianIsTaken(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("truth.json");
    Files.writeString(
        file,
        "{\"format\":\"cotenant.interference/v1\",\"device\":\"a100\",\"apps\":[{\"name\":\"x\"}],"
            + "\"pairs\":[]}");
    assertThat(GroundTruth.load(Optional.of(file), Optional.empty(), 60).soloSeconds()).isEmpty();
    assertThat(
            GroundTruth.soloSecondsByApp(
                List.of(job("j1", 10), job("j2", 40), job("j3", 20), job("j4", 30))))
        .containsEntry("x", 25.0);
    assertThatThrownBy(
            () -> GroundTruth.load(Optional.of(dir.resolve("none.json")), Optional.empty(), 60))
        .hasMessageContaining("none.json");
  }

  static WorkloadJob job(String name, double solo) {
    return new WorkloadJob(name, "x", 0, solo, new Replicas.Fixed(1), 100, 100, 1, 0, 0);
  }
}
