package dev.cotenant.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The demo refuses a cluster without the seeds' machines, naming what to run instead. */
class DemoCommandTest {
  private static DemoCluster.NodeView node(String name, long cpu, int gpus) {
    return new DemoCluster.NodeView(name, cpu, gpus, Optional.of(100.0));
  }

  @Test
  void theDefaultClusterHasBothSeedsMachines() {
    assertThat(
            DemoCommand.missingNodes(
                List.of(node("seed001-gpu", 6000, 4), node("seed000-worker", 10000, 0))))
        .isEmpty();
  }

  @Test
  void anotherClusterIsRefusedWithTheUpLineToRun() {
    Optional<String> why =
        DemoCommand.missingNodes(
            List.of(node("node-0000", 64000, 8), node("seed001-gpu", 6000, 2)));
    assertThat(why)
        .hasValueSatisfying(
            m ->
                assertThat(m)
                    .contains("seed001-gpu (4 Titan Xp)", "seed000-worker (10 cores)")
                    .contains("./cotenant down && ./cotenant up"));
  }
}
