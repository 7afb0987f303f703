package dev.cotenant.placement.plugins;

import dev.cotenant.interference.InterferenceModel;
import dev.cotenant.interference.MatrixModel;
import dev.cotenant.placement.EngineConfig;
import dev.cotenant.placement.Fixtures;
import dev.cotenant.placement.framework.CandidateView;
import dev.cotenant.placement.framework.CycleState;
import dev.cotenant.placement.framework.PodContext;
import dev.cotenant.placement.framework.Predictions;
import dev.cotenant.placement.model.JobRequest;
import dev.cotenant.placement.model.PodShape;
import dev.cotenant.placement.model.Replicas;
import dev.cotenant.placement.state.ClusterState;
import dev.cotenant.placement.state.PodReservation;
import java.util.List;

/**
 * One node (8 cores, 32 GiB, two 16 GiB cards) whose card 0 holds the tenants described as {@code
 * "app:milli:memMiB[:endSeconds]"} separated by spaces ({@code "whole"} for a whole-GPU holder).
 */
final class PluginFixture {

  final ClusterState state =
      new ClusterState(List.of(Fixtures.gpuNode("n0", 2, 16000, 8000, 32000)));
  final CycleState cycle = new CycleState();
  private final InterferenceModel model;

  PluginFixture(String tenants) {
    this(tenants, MatrixModel.empty());
  }

  PluginFixture(String tenants, InterferenceModel model) {
    this.model = model;
    int i = 0;
    for (String t : tenants.trim().split("\\s+")) {
      if (t.isEmpty()) {
        continue;
      }
      String name = "t" + i++;
      if (t.equals("whole")) {
        state.reserve(
            new PodReservation(
                name, name, "x", PodShape.whole(0, 0, 1), "n0", List.of(0), 0, 100, 1));
        continue;
      }
      String[] f = t.split(":");
      double end = f.length > 3 ? Double.parseDouble(f[3]) : 100;
      state.reserve(
          new PodReservation(
              name,
              name,
              f[0],
              PodShape.share(0, 0, Integer.parseInt(f[1]), Long.parseLong(f[2])),
              "n0",
              List.of(0),
              0,
              end,
              1));
    }
  }

  PodContext pod(String app, PodShape shape) {
    return pod(app, shape, 100);
  }

  PodContext pod(String app, PodShape shape, double workSeconds) {
    JobRequest job = Fixtures.job("p", app, 0, 0, new Replicas.Fixed(1), shape, workSeconds);
    return new PodContext(
        job, "p-0", workSeconds, 0, new Predictions(model), EngineConfig.defaults(), state);
  }

  CandidateView card0() {
    return CandidateView.share(state.node("n0").orElseThrow().cards().get(0));
  }

  CandidateView wholeNode() {
    var node = state.node("n0").orElseThrow();
    return CandidateView.whole(node, node.cards());
  }
}
