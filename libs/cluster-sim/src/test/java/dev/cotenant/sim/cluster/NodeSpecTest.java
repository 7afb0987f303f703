package dev.cotenant.sim.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NodeSpecTest {

  @Test
  void gpuNodeAndCpuNodeAreValid() {
    NodeSpec gpu = new NodeSpec("seed001-gpu", 6000, 32768, 4, "TITAN-Xp", 12288);
    NodeSpec cpu = new NodeSpec("seed000-worker", 10000, 32768, 0, "", 0);

    assertThat(gpu.hasGpus()).isTrue();
    assertThat(cpu.hasGpus()).isFalse();
  }

  @Test
  void acceptsDottedNamesUpToTheKubernetesLimit() {
    String longest =
        "a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(61);
    assertThat(longest).hasSize(253);

    assertThatCode(() -> new NodeSpec(longest, 1, 1, 0, "", 0)).doesNotThrowAnyException();
    assertThatCode(() -> new NodeSpec("rack1.node-2", 1, 1, 0, "", 0)).doesNotThrowAnyException();
  }

  @Test
  void rejectsBrokenInvariantsNamingTheField() {
    assertInvalid(() -> new NodeSpec(null, 1, 1, 0, "", 0), "name");
    assertInvalid(() -> new NodeSpec("Upper", 1, 1, 0, "", 0), "name");
    assertInvalid(() -> new NodeSpec("a..b", 1, 1, 0, "", 0), "name");
    assertInvalid(() -> new NodeSpec("a".repeat(254), 1, 1, 0, "", 0), "name");
    assertInvalid(() -> new NodeSpec("n", 0, 1, 0, "", 0), "cpuMilli");
    assertInvalid(() -> new NodeSpec("n", 1, -1, 0, "", 0), "memoryMiB");
    assertInvalid(() -> new NodeSpec("n", 1, 1, -1, "", 0), "numGpu");
    assertInvalid(() -> new NodeSpec("n", 1, 1, 17, "M", 1), "numGpu");
    assertInvalid(() -> new NodeSpec("n", 1, 1, 0, null, 0), "gpuModel");
    assertInvalid(() -> new NodeSpec("n", 1, 1, 1, "", 1), "gpuModel");
    assertInvalid(() -> new NodeSpec("n", 1, 1, 1, "Titan Xp", 1), "gpuModel");
    assertInvalid(() -> new NodeSpec("n", 1, 1, 1, "M", 0), "gpuMemoryMiB");
    assertInvalid(() -> new NodeSpec("n", 1, 1, 0, "M", 0), "gpuModel");
    assertInvalid(() -> new NodeSpec("n", 1, 1, 0, "", 1024), "gpuMemoryMiB");
  }

  private static void assertInvalid(Runnable construction, String field) {
    assertThatThrownBy(construction::run)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(field + " ");
  }
}
