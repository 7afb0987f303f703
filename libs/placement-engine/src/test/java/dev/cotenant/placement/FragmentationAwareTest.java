package dev.cotenant.placement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cotenant.interference.AppInfo;
import dev.cotenant.interference.MatrixModel;
import dev.cotenant.interference.PairEntry;
import dev.cotenant.placement.model.Decision;
import dev.cotenant.placement.model.JobRequest;
import dev.cotenant.placement.model.PodShape;
import dev.cotenant.placement.model.Replicas;
import dev.cotenant.placement.plugins.PluginNames;
import dev.cotenant.placement.state.ClusterState;
import dev.cotenant.placement.state.PodReservation;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Interference-aware with the fragmentation score: fragmentation decides where interference is
 * indifferent, and never against a real difference in predicted slowdown.
 */
class FragmentationAwareTest {

  private static ClusterState twoNodes() {
    return new ClusterState(
        List.of(
            Fixtures.gpuNode("n0", 2, 16000, 8000, 32000),
            Fixtures.gpuNode("n1", 2, 16000, 8000, 32000)));
  }

  /** n0 and n1 of two cards each, n1 card 0 holding a 300-milli pod of app b. */
  private static PlacementEngine b1OnN1Card0(double together) {
    ClusterState state = twoNodes();
    var engine =
        new PlacementEngine(
            state, model(together), Fixtures.config(PluginNames.INTERFERENCE_AWARE));
    state.reserve(
        new PodReservation(
            "b1-0", "b1", "b", PodShape.share(1000, 100, 300, 0), "n1", List.of(0), 0, 100, 1));
    return engine;
  }

  private static JobRequest share(String id, String app, long seq, int milli) {
    return Fixtures.job(
        id, app, 0, seq, new Replicas.Fixed(1), PodShape.share(1000, 100, milli, 0), 100);
  }

  private static MatrixModel model(double together) {
    return Fixtures.model(
        List.of(AppInfo.named("a"), AppInfo.named("b")),
        List.of(
            PairEntry.measured("a", "b", together),
            PairEntry.measured("b", "a", together),
            PairEntry.measured("a", "a", together),
            PairEntry.measured("b", "b", together)));
  }

  @Test
  void withoutASlowdownFragmentationPicksTheCardThatStrandsLeast() {
    // n1 card 0 holds a 300-milli pod. A 700-milli pod fills it exactly (nothing stranded) where
    // an empty card would keep 300 that no 700 pod can use. Sharing costs nothing (throughput 1).
    PlacementEngine engine = b1OnN1Card0(1.0);
    JobRequest a = share("a1", "a", 1, 700);
    engine.demand().arrived(a);

    Decision d = engine.place(a, 0);

    assertThat(d.placed()).isTrue();
    assertThat(d.placements().get(0).node()).isEqualTo("n1");
    assertThat(d.placements().get(0).gpus().get(0).index()).isZero();
  }

  @Test
  void withoutDemandTheDecisionIsInterferenceAlone() {
    // Same cluster, nothing told to the demand: the first empty card in node order, as before.
    PlacementEngine engine = b1OnN1Card0(1.0);

    Decision d = engine.place(share("a1", "a", 1, 700), 0);

    assertThat(d.placements().get(0).node()).isEqualTo("n0");
  }

  @Test
  void aRealSlowdownOutweighsFragmentation() {
    // Now a and b halve each other's speed: the empty card wins although it strands 300.
    PlacementEngine engine = b1OnN1Card0(0.5);
    JobRequest a = share("a1", "a", 1, 700);
    engine.demand().arrived(a);

    Decision d = engine.place(a, 0);

    assertThat(d.placements().get(0).node()).isEqualTo("n0");
  }

  @Test
  void theQueueFeedsTheDemand() {
    PlacementEngine engine = b1OnN1Card0(1.0);
    PlacementQueue queue = new PlacementQueue(engine);
    queue.submit(share("a1", "a", 1, 700));

    assertThat(engine.demand().target()).isPresent();
    List<Decision> made = queue.schedule(0);

    assertThat(made).hasSize(1);
    assertThat(made.get(0).placements().get(0).node()).isEqualTo("n1");
  }
}
