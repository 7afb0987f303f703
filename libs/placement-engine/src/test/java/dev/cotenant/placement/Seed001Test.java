package dev.cotenant.placement;

import static dev.cotenant.placement.Fixtures.app;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cotenant.interference.MatrixModel;
import dev.cotenant.placement.model.Decision;
import dev.cotenant.placement.plugins.PluginNames;
import dev.cotenant.placement.state.ClusterState;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The seed-001 baselines: 8 share pods on one node of 4 × 12 GiB cards, one schedule pass. */
class Seed001Test {

  static final MatrixModel MODEL =
      Fixtures.model(
          List.of(
              app("lammps", 8300, 23),
              app("qmcpack", 5300, 46.7),
              app("tensorflow", 3500, 88),
              app("gromacs", 600, 72)),
          List.of());

  static Stream<Arguments> policies() {
    return Stream.of(
        Arguments.of(
            PluginNames.BINPACK,
            List.of(
                Set.of("L1", "T1"), Set.of("L2", "T2"), Set.of("Q1", "Q2", "G1", "G2"), Set.of())),
        Arguments.of(
            PluginNames.STANDALONE,
            List.of(
                Set.of("L1", "L2"), Set.of("G1", "G2"), Set.of("T1", "T2"), Set.of("Q1", "Q2"))),
        Arguments.of(
            PluginNames.LOADBALANCE,
            List.of(
                Set.of("T1", "L1"), Set.of("T2", "L2"), Set.of("G1", "Q1"), Set.of("G2", "Q2"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("policies")
  void reproducesSeed001(String policy, List<Set<String>> expectedPerGpu) {
    ClusterState state = new ClusterState(List.of(Fixtures.gpuNode("n0", 4, 12288, 64000, 256000)));
    PlacementEngine engine = new PlacementEngine(state, MODEL, Fixtures.config(policy));
    PlacementQueue queue = new PlacementQueue(engine);
    String[][] order = {
      {"L1", "lammps"}, {"L2", "lammps"}, {"G1", "gromacs"}, {"G2", "gromacs"},
      {"T1", "tensorflow"}, {"T2", "tensorflow"}, {"Q1", "qmcpack"}, {"Q2", "qmcpack"}
    };
    for (int i = 0; i < order.length; i++) {
      queue.submit(Fixtures.share(order[i][0], order[i][1], i, 250, 3072));
    }

    List<Decision> decisions = queue.schedule(0);

    assertThat(decisions).hasSize(8).allMatch(Decision::placed);
    for (int gpu = 0; gpu < 4; gpu++) {
      Set<String> jobs =
          Set.copyOf(
              state.gpuPods("n0", gpu).stream().map(p -> p.substring(0, p.indexOf('-'))).toList());
      assertThat(jobs).as("GPU%d", gpu).isEqualTo(expectedPerGpu.get(gpu));
    }
  }
}
