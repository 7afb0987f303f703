package dev.cotenant.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cotenant.interference.MatrixModel;
import dev.cotenant.placement.model.Decision;
import dev.cotenant.placement.state.ReservedPod;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Behaviour of the benchmark's workload only; no timing. */
class BenchSetupTest {

  static final int NODES = 50;
  static MatrixModel model;

  @BeforeAll
  static void loadModel() {
    model = SteadyState.loadModel(SteadyState.root());
  }

  @Test
  void setupRunsEightPodsPerNodeOnePerCard() {
    SteadyState s = SteadyState.build(NODES, SteadyState.Shapes.GRID, model, SteadyState.SEED);

    assertThat(s.runningPods()).isEqualTo(NODES * 8);
    Set<String> cards = new HashSet<>();
    for (ReservedPod p : s.engine().state().pods()) {
      assertThat(p.cards()).hasSize(1);
      assertThat(cards.add(p.cards().get(0).toString())).isTrue();
      assertThat(p.shape().gpuMilli()).isBetween(250, 500);
      assertThat(p.shape().gpuMemoryMiB()).isBetween(2048L, 6144L);
    }
    assertThat(model.matrix().apps()).hasSize(26);
  }

  @Test
  void directSetupIsTheLayoutTheEngineItselfProduces() {
    SteadyState direct = SteadyState.build(NODES, SteadyState.Shapes.GRID, model, 7L, false);
    SteadyState placed = SteadyState.build(NODES, SteadyState.Shapes.GRID, model, 7L, true);

    assertThat(layout(direct)).isEqualTo(layout(placed));
  }

  @Test
  void steadyStateKeepsTheRunningPodCountAndEveryPlacementSucceeds() {
    SteadyState s = SteadyState.build(NODES, SteadyState.Shapes.GRID, model, SteadyState.SEED);
    for (int i = 0; i < 5_000; i++) {
      Decision d = s.place();
      assertThat(d.placed()).as("placement %d", i).isTrue();
      assertThat(d.placements()).hasSize(1);
      assertThat(s.runningPods()).isEqualTo(NODES * 8 + 1);
      s.finishOne();
      assertThat(s.runningPods()).isEqualTo(NODES * 8);
    }
  }

  @Test
  void theSharedSteadyStateHoldsTwoAndAHalfTenantsPerCardFromAHundredApps() {
    SteadyState s =
        SteadyState.build(NODES, SteadyState.Sharing.SHARED, SteadyState.Shapes.GRID, 3L);
    int pods = (int) Math.round(NODES * 8 * SteadyState.SHARED_PODS_PER_CARD);
    assertThat(s.runningPods()).isEqualTo(pods);
    for (int i = 0; i < 3_000; i++) {
      assertThat(s.step().placed()).as("placement %d", i).isTrue();
      assertThat(s.runningPods()).isEqualTo(pods);
    }
    Map<String, Integer> perCard = new HashMap<>();
    Set<String> apps = new HashSet<>();
    for (ReservedPod p : s.engine().state().pods()) {
      perCard.merge(p.cards().get(0).toString(), 1, Integer::sum);
      apps.add(p.app());
      assertThat(p.shape().gpuMilli()).isBetween(100, 500);
      assertThat(p.shape().gpuMemoryMiB()).isBetween(1024L, 6144L);
    }
    // Spread over every card, most of them shared: the state the benchmark is for.
    assertThat(perCard).hasSize(NODES * 8);
    assertThat(perCard.values().stream().filter(n -> n >= 2).count())
        .isGreaterThan(NODES * 8 * 3L / 4);
    assertThat(apps).hasSizeGreaterThan(90);
    assertThat(s.appGroups()).as("distinct tenant mixes scored").isGreaterThan(200);
  }

  @Test
  void fineShapesBehaveTheSame() {
    SteadyState s = SteadyState.build(NODES, SteadyState.Shapes.FINE, model, SteadyState.SEED);
    for (int i = 0; i < 1_000; i++) {
      assertThat(s.step().placed()).isTrue();
      assertThat(s.runningPods()).isEqualTo(NODES * 8);
    }
  }

  @Test
  void placeAndFinishMustAlternate() {
    SteadyState s = SteadyState.build(2, SteadyState.Shapes.GRID, model, SteadyState.SEED);

    assertThatThrownBy(s::finishOne).isInstanceOf(IllegalStateException.class);
    s.place();
    assertThatThrownBy(s::place).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aMissingMatrixSaysWhereItLooked() {
    assertThatThrownBy(() -> SteadyState.loadModel(Path.of("/nonexistent")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("/nonexistent/" + SteadyState.MATRIX)
        .hasMessageContaining("cotenant.root");
  }

  private static Map<String, String> layout(SteadyState s) {
    Map<String, String> where = new HashMap<>();
    for (ReservedPod p : s.engine().state().pods()) {
      where.put(p.podName(), p.cards().get(0).toString() + " " + p.app() + " " + p.shape());
    }
    return where;
  }
}
