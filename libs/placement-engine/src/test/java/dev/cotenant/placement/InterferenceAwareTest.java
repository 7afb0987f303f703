package dev.cotenant.placement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cotenant.interference.AppInfo;
import dev.cotenant.interference.MatrixModel;
import dev.cotenant.interference.PairEntry;
import dev.cotenant.placement.model.Decision;
import dev.cotenant.placement.model.JobRequest;
import dev.cotenant.placement.plugins.PluginNames;
import dev.cotenant.placement.state.ClusterState;
import java.util.List;
import org.junit.jupiter.api.Test;

class InterferenceAwareTest {

  // One node, two cards: fill each with one share pod so the next must share.
  private static ClusterState twoCards() {
    return new ClusterState(List.of(Fixtures.gpuNode("n0", 2, 16000, 64000, 256000)));
  }

  private static MatrixModel model(List<PairEntry> pairs) {
    return Fixtures.model(
        List.of(AppInfo.named("a"), AppInfo.named("b"), AppInfo.named("c"), AppInfo.named("d")),
        pairs);
  }

  @Test
  void podGoesNextToTheGoodNeighbourNotTheBadOne() {
    var m =
        model(
            List.of(
                PairEntry.measured("a", "b", 0.4),
                PairEntry.measured("b", "a", 0.5),
                PairEntry.measured("a", "c", 0.95),
                PairEntry.measured("c", "a", 0.95)));
    ClusterState state = twoCards();
    var engine = new PlacementEngine(state, m, Fixtures.config(PluginNames.INTERFERENCE_AWARE));
    assertThat(engine.place(Fixtures.share("b1", "b", 0, 400, 4000), 0).placed()).isTrue();
    assertThat(engine.place(Fixtures.share("c1", "c", 1, 400, 4000), 0).placed()).isTrue();
    assertThat(state.gpuTenantApps("n0", 0)).containsExactly("b");
    assertThat(state.gpuTenantApps("n0", 1)).containsExactly("c");

    Decision d = engine.place(Fixtures.share("a1", "a", 2, 400, 4000), 0);

    assertThat(d.placed()).isTrue();
    assertThat(d.placements().get(0).gpus().get(0).index()).isEqualTo(1);
    assertThat(d.topCandidates()).hasSize(2);
    assertThat(d.topCandidates().get(0).gpuIndexes()).containsExactly(1);
    assertThat(d.topCandidates().get(0).pluginScores())
        .containsEntry(PluginNames.INTERFERENCE_COST, 100.0);
    assertThat(d.placements().get(0).predictedSeconds()).isCloseTo(100 / 0.95, within());
  }

  @Test
  void aCrowdedCardCostsEachTenantForAsLongAsItStays() {
    // Card 0 holds three b pods, one about to finish (10 s) and two long ones; card 1 one long c.
    // a is slightly better with b (0.9) than with c (0.85), but on card 0 it would share with the
    // two long b pods for its whole run: 2 x 0.2 x 1,111 s against 0.3 x 1,176 s on card 1.
    var m =
        model(
            List.of(
                PairEntry.measured("b", "b", 1.0),
                PairEntry.measured("b", "c", 0.3),
                PairEntry.measured("c", "b", 0.3),
                PairEntry.measured("a", "b", 0.9),
                PairEntry.measured("b", "a", 0.9),
                PairEntry.measured("a", "c", 0.85),
                PairEntry.measured("c", "a", 0.85)));
    ClusterState state = twoCards();
    var engine = new PlacementEngine(state, m, Fixtures.config(PluginNames.INTERFERENCE_AWARE));
    assertThat(engine.place(solo("b1", "b", 0, 10), 0).placed()).isTrue();
    assertThat(engine.place(solo("c1", "c", 1, 1000), 0).placed()).isTrue();
    assertThat(engine.place(solo("b2", "b", 2, 1000), 0).placed()).isTrue();
    assertThat(engine.place(solo("b3", "b", 3, 1000), 0).placed()).isTrue();
    assertThat(state.gpuTenantApps("n0", 0)).containsExactlyInAnyOrder("b", "b", "b");
    assertThat(state.gpuTenantApps("n0", 1)).containsExactly("c");

    Decision d = engine.place(solo("a1", "a", 4, 1000), 0);

    assertThat(d.placements().get(0).gpus().get(0).index()).isEqualTo(1);
  }

  private static JobRequest solo(String id, String app, long seq, double seconds) {
    var share = Fixtures.share(id, app, seq, 200, 2000);
    return new JobRequest(
        share.jobId(),
        share.app(),
        share.priority(),
        share.sequence(),
        share.replicas(),
        share.shape(),
        seconds,
        share.policy());
  }

  @Test
  void incompatiblePairsAreNeverCoLocated() {
    var m = model(List.of(PairEntry.incompatible("a", "b"), PairEntry.measured("b", "a", 0.9)));
    ClusterState state = new ClusterState(List.of(Fixtures.gpuNode("n0", 1, 16000, 64000, 256000)));
    var engine = new PlacementEngine(state, m, Fixtures.config(PluginNames.INTERFERENCE_AWARE));
    engine.place(Fixtures.share("b1", "b", 0, 400, 4000), 0);

    Decision d = engine.place(Fixtures.share("a1", "a", 1, 400, 4000), 0);

    assertThat(d.placed()).isFalse();
    assertThat(d.reasons())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.code()).isEqualTo("Incompatible");
              assertThat(r.plugin()).isEqualTo(PluginNames.INTERFERENCE_COMPATIBLE);
              assertThat(r.count()).isEqualTo(1);
            });
    assertThat(state.gpuTenantApps("n0", 0)).containsExactly("b");
  }

  @Test
  void anUnknownPairCostsMoreThanAMeasuredEquallyGoodOne() {
    // a|b measured at 0.8 both ways; a|c unknown, with the prior (mean of the measured, 0.8, ± 0).
    // Add a spread-out measured pair so the prior has an uncertainty but the same mean.
    var m =
        model(
            List.of(
                PairEntry.measured("a", "b", 0.8),
                PairEntry.measured("b", "a", 0.8),
                PairEntry.measured("d", "d", 0.6),
                PairEntry.measured("d", "b", 1.0)));
    assertThat(m.prior().normalizedThroughput()).isCloseTo(0.8, within());
    ClusterState state = twoCards();
    var engine = new PlacementEngine(state, m, Fixtures.config(PluginNames.INTERFERENCE_AWARE));
    engine.place(Fixtures.share("c1", "c", 0, 400, 4000), 0);
    engine.place(Fixtures.share("b1", "b", 1, 400, 4000), 0);
    assertThat(state.gpuTenantApps("n0", 0)).containsExactly("c");
    assertThat(state.gpuTenantApps("n0", 1)).containsExactly("b");

    Decision d = engine.place(Fixtures.share("a1", "a", 2, 400, 4000), 0);

    assertThat(d.placements().get(0).gpus().get(0).index()).isEqualTo(1);
  }

  @Test
  void emptyCardsAreUsedBeforeSharing() {
    var m = model(List.of(PairEntry.measured("a", "a", 0.9)));
    ClusterState state = twoCards();
    var engine = new PlacementEngine(state, m, Fixtures.config(PluginNames.INTERFERENCE_AWARE));
    engine.place(Fixtures.share("a1", "a", 0, 400, 4000), 0);

    Decision d = engine.place(Fixtures.share("a2", "a", 1, 400, 4000), 0);

    assertThat(d.placements().get(0).gpus().get(0).index()).isEqualTo(1);
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-9);
  }
}
