package dev.cotenant.sim.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WorkloadJobTest {

  private static final Replicas ONE = new Replicas.Fixed(1);

  @Test
  void classifiesGpuRequests() {
    WorkloadJob whole = new WorkloadJob("w", "a", 0, 1, ONE, 1, 1, 2, 0, 0);
    WorkloadJob share = new WorkloadJob("s", "a", 0, 1, ONE, 1, 1, 0, 500, 4096);
    WorkloadJob cpu = new WorkloadJob("c", "a", 0, 1, ONE, 0, 0, 0, 0, 0);

    assertThat(whole.usesGpu()).isTrue();
    assertThat(whole.isGpuShare()).isFalse();
    assertThat(share.usesGpu()).isTrue();
    assertThat(share.isGpuShare()).isTrue();
    assertThat(cpu.usesGpu()).isFalse();
    assertThat(cpu.isGpuShare()).isFalse();
  }

  @Test
  void normalisesNegativeZeroSubmitTime() {
    assertThat(new WorkloadJob("j", "a", -0.0, 1, ONE, 1, 1, 0, 0, 0))
        .isEqualTo(new WorkloadJob("j", "a", 0.0, 1, ONE, 1, 1, 0, 0, 0));
  }

  @Test
  void rejectsBrokenInvariantsNamingTheField() {
    assertInvalid(() -> job(null, "a", 0, 1, ONE, 0, 0, 0), "name");
    assertInvalid(() -> job("Upper", "a", 0, 1, ONE, 0, 0, 0), "name");
    assertInvalid(() -> job("a.b", "a", 0, 1, ONE, 0, 0, 0), "name");
    assertInvalid(() -> job("a".repeat(64), "a", 0, 1, ONE, 0, 0, 0), "name");
    assertInvalid(() -> job("j", null, 0, 1, ONE, 0, 0, 0), "app");
    assertInvalid(() -> job("j", "", 0, 1, ONE, 0, 0, 0), "app");
    assertInvalid(() -> job("j", "a b", 0, 1, ONE, 0, 0, 0), "app");
    assertInvalid(() -> job("j", "a", -1, 1, ONE, 0, 0, 0), "submitTimeSeconds");
    assertInvalid(() -> job("j", "a", Double.NaN, 1, ONE, 0, 0, 0), "submitTimeSeconds");
    assertInvalid(
        () -> job("j", "a", Double.POSITIVE_INFINITY, 1, ONE, 0, 0, 0), "submitTimeSeconds");
    assertInvalid(() -> job("j", "a", 0, 0, ONE, 0, 0, 0), "soloDurationSeconds");
    assertInvalid(() -> job("j", "a", 0, Double.NaN, ONE, 0, 0, 0), "soloDurationSeconds");
    assertInvalid(
        () -> job("j", "a", 0, Double.POSITIVE_INFINITY, ONE, 0, 0, 0), "soloDurationSeconds");
    assertInvalid(() -> job("j", "a", 0, 1, null, 0, 0, 0), "replicas");
    assertInvalid(() -> new WorkloadJob("j", "a", 0, 1, ONE, -1, 0, 0, 0, 0), "cpuMilli");
    assertInvalid(() -> new WorkloadJob("j", "a", 0, 1, ONE, 0, -1, 0, 0, 0), "memoryMiB");
    assertInvalid(() -> job("j", "a", 0, 1, ONE, -1, 0, 0), "numGpu");
    assertInvalid(() -> job("j", "a", 0, 1, ONE, 17, 0, 0), "numGpu");
    assertInvalid(() -> job("j", "a", 0, 1, ONE, 0, -1, 0), "gpuMilli");
    assertInvalid(() -> job("j", "a", 0, 1, ONE, 0, 1001, 1), "gpuMilli");
    assertInvalid(() -> job("j", "a", 0, 1, ONE, 0, 1, -1), "gpuMemoryMiB");
    assertInvalid(() -> job("j", "a", 0, 1, ONE, 1, 500, 0), "gpuMilli");
    assertInvalid(() -> job("j", "a", 0, 1, ONE, 1, 0, 1024), "gpuMemoryMiB");
    assertInvalid(() -> job("j", "a", 0, 1, ONE, 0, 500, 0), "gpuMemoryMiB");
    assertInvalid(() -> job("j", "a", 0, 1, ONE, 0, 0, 1024), "gpuMemoryMiB");
  }

  @Test
  void parsesAndRendersReplicas() {
    assertThat(Replicas.parse("3")).isEqualTo(new Replicas.Fixed(3));
    assertThat(Replicas.parse("007")).isEqualTo(new Replicas.Fixed(7));
    assertThat(Replicas.parse("auto:30")).isEqualTo(new Replicas.Auto(30));
    assertThat(Replicas.parse("10000")).isEqualTo(new Replicas.Fixed(10_000));
    assertThat(new Replicas.Fixed(3)).hasToString("3");
    assertThat(new Replicas.Auto(30)).hasToString("auto:30");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "0", "-1", "10001", "1.5", "auto", "auto:", "auto:0", "AUTO:3", " 3", "x"})
  void rejectsBadReplicas(String text) {
    assertThatThrownBy(() -> Replicas.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("replicas ")
        .hasMessageContaining("'" + text + "'");
  }

  @Test
  void replicaCountsAreBounded() {
    assertInvalid(() -> new Replicas.Fixed(0), "count");
    assertInvalid(() -> new Replicas.Fixed(10_001), "count");
    assertInvalid(() -> new Replicas.Auto(0), "max");
    assertInvalid(() -> new Replicas.Auto(10_001), "max");
  }

  private static WorkloadJob job(
      String name,
      String app,
      double submit,
      double solo,
      Replicas replicas,
      int numGpu,
      int gpuMilli,
      long gpuMemoryMiB) {
    return new WorkloadJob(name, app, submit, solo, replicas, 1, 1, numGpu, gpuMilli, gpuMemoryMiB);
  }

  private static void assertInvalid(Runnable construction, String field) {
    assertThatThrownBy(construction::run)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(field + " ");
  }
}
