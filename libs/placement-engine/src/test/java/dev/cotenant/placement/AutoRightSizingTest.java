package dev.cotenant.placement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cotenant.interference.MatrixModel;
import dev.cotenant.placement.model.NodeInfo;
import dev.cotenant.placement.model.PodShape;
import dev.cotenant.placement.model.Replicas;
import dev.cotenant.placement.state.ClusterState;
import dev.cotenant.placement.state.PodReservation;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * T(N) = 306/N + (N - 1) × 2 has its minimum near N = 12.4, so the engine takes as many as fit now
 * (10 on a free 10-core node) and fewer when fewer cores are free.
 */
class AutoRightSizingTest {

  @ParameterizedTest(name = "{0} busy cores -> N = {1}")
  @CsvSource({"0, 10", "4, 6", "9, 1"})
  void choosesTheReplicaCountMinimisingPredictedCompletion(int busyCores, int expected) {
    ClusterState state = new ClusterState(List.of(NodeInfo.cpuOnly("n0", 10_000, 64_000)));
    if (busyCores > 0) {
      state.reserve(
          new PodReservation(
              "busy",
              "busy",
              "other",
              PodShape.cpu(busyCores * 1000L, 0),
              "n0",
              List.of(),
              0,
              1e6,
              1));
    }
    var config = new EngineConfig("spread", 2.0, 3, 100);
    var engine = new PlacementEngine(state, MatrixModel.empty(), config);
    var job = Fixtures.job("fan", "mc", 0, 0, new Replicas.Auto(30), PodShape.cpu(1000, 100), 306);

    var d = engine.place(job, 0);

    assertThat(d.placed()).isTrue();
    assertThat(d.replicas()).isEqualTo(expected);
    assertThat(d.placements()).hasSize(expected);
    assertThat(d.placements().get(0).predictedSeconds()).isEqualTo(306.0 / expected);
    assertThat(state.freeCpuMilli("n0")).isEqualTo(10_000 - 1000L * (busyCores + expected));
  }
}
