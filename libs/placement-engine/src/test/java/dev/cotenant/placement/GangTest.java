package dev.cotenant.placement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cotenant.interference.MatrixModel;
import dev.cotenant.placement.framework.CycleState;
import dev.cotenant.placement.framework.PodContext;
import dev.cotenant.placement.framework.Predictions;
import dev.cotenant.placement.model.Decision;
import dev.cotenant.placement.model.PodShape;
import dev.cotenant.placement.model.Replicas;
import dev.cotenant.placement.plugins.ReserveResources;
import dev.cotenant.placement.state.ClusterState;
import dev.cotenant.placement.state.PodReservation;
import java.util.List;
import org.junit.jupiter.api.Test;

class GangTest {

  private final ClusterState state =
      new ClusterState(List.of(Fixtures.gpuNode("n0", 2, 16000, 32000, 64000)));
  private final PlacementEngine engine =
      new PlacementEngine(state, MatrixModel.empty(), EngineConfig.defaults());

  @Test
  void gangOfThreeWholeGpusWithTwoFreeIsNotPlacedAndStateIsUnchanged() {
    var job =
        Fixtures.job("g", "train", 0, 0, new Replicas.Fixed(3), PodShape.whole(1000, 1000, 1), 60);

    Decision d = engine.place(job, 0);

    assertThat(d.placed()).isFalse();
    assertThat(d.placements()).isEmpty();
    assertThat(d.reasons()).extracting(r -> r.code()).contains("InsufficientGpu");
    assertThat(state.pods()).isEmpty();
    assertThat(state.freeCpuMilli("n0")).isEqualTo(32000);
    assertThat(state.node("n0").orElseThrow().freeWholeGpus()).isEqualTo(2);
    assertThat(state.gpuExclusive("n0", 0)).isFalse();
  }

  @Test
  void gangThatFitsReservesEveryMemberOnDistinctCards() {
    var job =
        Fixtures.job("g", "train", 0, 0, new Replicas.Fixed(2), PodShape.whole(1000, 1000, 1), 60);

    Decision d = engine.place(job, 0);

    assertThat(d.placed()).isTrue();
    assertThat(d.placements())
        .extracting(p -> p.podName() + "@" + p.gpus().get(0).index())
        .containsExactly("g-0@0", "g-1@1");
    assertThat(d.placements().get(0).gpus().get(0).milli()).isEqualTo(1000);
    assertThat(d.placements().get(0).gpus().get(0).memoryMiB()).isEqualTo(16000);
  }

  @Test
  void unreserveIsIdempotent() {
    var plugin = new ReserveResources();
    var job = Fixtures.share("s", "a", 0, 500, 1000);
    var ctx =
        new PodContext(
            job,
            "s-0",
            10,
            0,
            new Predictions(MatrixModel.empty()),
            EngineConfig.defaults(),
            state);
    var cycle = new CycleState();
    plugin.reserve(
        cycle, ctx, new PodReservation("s-0", "s", "a", job.shape(), "n0", List.of(0), 0, 10, 1));
    assertThat(state.usedGpuMilli("n0", 0)).isEqualTo(500);

    plugin.unreserve(cycle, ctx, "s-0");
    plugin.unreserve(cycle, ctx, "s-0");

    assertThat(state.usedGpuMilli("n0", 0)).isZero();
    assertThat(state.freeCpuMilli("n0")).isEqualTo(32000);
  }

  @Test
  void finishedIsIdempotent() {
    engine.place(Fixtures.share("s", "a", 0, 500, 1000), 0);
    engine.place(Fixtures.share("t", "a", 1, 500, 1000), 0);
    long cpu = state.freeCpuMilli("n0");

    engine.finished("s-0", 5);
    engine.finished("s-0", 6);

    assertThat(state.pod("s-0")).isEmpty();
    assertThat(state.freeCpuMilli("n0")).isEqualTo(cpu + 100);
    assertThat(state.pods()).hasSize(1);
  }

  @Test
  void removingANodeWithPodsIsRefused() {
    engine.place(Fixtures.share("s", "a", 0, 500, 1000), 0);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> state.removeNode("n0"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("n0");
    engine.finished("s-0", 1);
    state.removeNode("n0");
    assertThat(state.nodeCount()).isZero();
  }
}
