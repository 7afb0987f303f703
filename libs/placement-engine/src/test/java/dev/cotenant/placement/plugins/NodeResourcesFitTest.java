package dev.cotenant.placement.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cotenant.interference.MatrixModel;
import dev.cotenant.placement.EngineConfig;
import dev.cotenant.placement.Fixtures;
import dev.cotenant.placement.framework.CandidateView;
import dev.cotenant.placement.framework.CycleState;
import dev.cotenant.placement.framework.PodContext;
import dev.cotenant.placement.framework.Predictions;
import dev.cotenant.placement.model.NodeInfo;
import dev.cotenant.placement.model.PodShape;
import dev.cotenant.placement.model.Replicas;
import dev.cotenant.placement.state.ClusterState;
import dev.cotenant.placement.state.PodReservation;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NodeResourcesFitTest {

  @ParameterizedTest(name = "cpu {0}, mem {1} -> {2}")
  @CsvSource({
    "8000, 32000, ''",
    "8001, 100, InsufficientCpu",
    "100, 32001, InsufficientMemory",
    "9000, 40000, InsufficientCpu",
  })
  void fitsOrSaysWhichResourceIsShort(long cpu, long mem, String code) {
    var f = new PluginFixture("");
    var s = new NodeResourcesFit().filter(f.cycle, f.pod("a", PodShape.cpu(cpu, mem)), f.card0());
    assertThat(s.passes()).isEqualTo(code.isEmpty());
    assertThat(s.reasonCode()).isEqualTo(code);
  }

  @Test
  void refusesANodeThatRunsItsAllowedPods() {
    var state = new ClusterState(List.of(new NodeInfo("n0", 8000, 32000, List.of(), 2)));
    var fit = new NodeResourcesFit();
    var node = state.node("n0").orElseThrow();
    PodShape small = PodShape.cpu(100, 100);
    var pod =
        new PodContext(
            Fixtures.job("p", "a", 0, 0, new Replicas.Fixed(1), small, 10),
            "p-0",
            10,
            0,
            new Predictions(MatrixModel.empty()),
            EngineConfig.defaults(),
            state);
    for (int i = 0; i < 2; i++) {
      assertThat(fit.filter(new CycleState(), pod, CandidateView.cpuOnly(node)).passes()).isTrue();
      state.reserve(new PodReservation("t" + i, "t" + i, "x", small, "n0", List.of(), 0, 100, 1));
    }
    var s = fit.filter(new CycleState(), pod, CandidateView.cpuOnly(node));
    assertThat(s.passes()).isFalse();
    assertThat(s.reasonCode()).isEqualTo(NodeResourcesFit.TOO_MANY_PODS);
  }
}
