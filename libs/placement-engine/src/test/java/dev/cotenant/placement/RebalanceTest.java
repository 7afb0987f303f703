package dev.cotenant.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.cotenant.interference.AppInfo;
import dev.cotenant.interference.MatrixModel;
import dev.cotenant.interference.PairEntry;
import dev.cotenant.placement.EngineConfig.Rebalancing;
import dev.cotenant.placement.model.Migration;
import dev.cotenant.placement.model.NodeInfo;
import dev.cotenant.placement.plugins.PluginNames;
import dev.cotenant.placement.state.ClusterState;
import dev.cotenant.placement.state.ReservedPod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RebalanceTest {

  // a and b hurt each other badly, as do c and d; a with c and b with d barely notice.
  private static final MatrixModel MODEL =
      Fixtures.model(
          List.of(AppInfo.named("a"), AppInfo.named("b"), AppInfo.named("c"), AppInfo.named("d")),
          List.of(
              PairEntry.measured("a", "b", 0.3),
              PairEntry.measured("b", "a", 0.3),
              PairEntry.measured("c", "d", 0.3),
              PairEntry.measured("d", "c", 0.3),
              PairEntry.measured("a", "c", 0.95),
              PairEntry.measured("c", "a", 0.95),
              PairEntry.measured("b", "d", 0.95),
              PairEntry.measured("d", "b", 0.95),
              PairEntry.measured("a", "d", 0.5),
              PairEntry.measured("d", "a", 0.5),
              PairEntry.measured("b", "c", 0.5),
              PairEntry.measured("c", "b", 0.5)));

  private static PlacementEngine engine(
      List<NodeInfo> nodes, String policy, Rebalancing rebalancing) {
    return new PlacementEngine(
        new ClusterState(nodes), MODEL, Fixtures.config(policy).withRebalancing(rebalancing));
  }

  /** One node with {@code cards} cards, interference-aware by default. */
  private static PlacementEngine oneNode(int cards, Rebalancing rebalancing) {
    return engine(
        List.of(Fixtures.gpuNode("n0", cards, 16000, 64000, 256000)),
        PluginNames.INTERFERENCE_AWARE,
        rebalancing);
  }

  /** Places pods with binpack, which fills card 0 first: the bad pairs a+b and c+d. */
  private static void placeBadPairs(PlacementEngine engine, String... apps) {
    for (int i = 0; i < apps.length; i++) {
      var job = Fixtures.share(apps[i] + i, apps[i], i, 500, 4000);
      assertThat(engine.place(Fixtures.withPolicy(job, PluginNames.BINPACK), 0).placed()).isTrue();
    }
  }

  private static Set<Set<String>> cardTenants(ClusterState state) {
    Set<Set<String>> cards = new java.util.HashSet<>();
    for (var node : state.nodes()) {
      for (var card : node.cards()) {
        cards.add(Set.copyOf(new ArrayList<>(card.tenantApps())));
      }
    }
    return cards;
  }

  @Test
  void swapsTwoBadPairsIntoTwoGoodOnesAndKeepsEachPodsRemainingWork() {
    var engine = oneNode(2, new Rebalancing(10, 8));
    placeBadPairs(engine, "a", "b", "c", "d");
    assertThat(cardTenants(engine.state()))
        .containsExactlyInAnyOrder(Set.of("a", "b"), Set.of("c", "d"));

    // 100 s at 0.3 each: 30 of 100 solo seconds done, 70 left.
    List<Migration> moved = engine.rebalance(100);

    assertThat(moved).hasSize(2);
    assertThat(cardTenants(engine.state()))
        .containsExactlyInAnyOrder(Set.of("a", "c"), Set.of("b", "d"));
    for (Migration m : moved) {
      assertThat(m.from().gpus().get(0).index()).isNotEqualTo(m.to().gpus().get(0).index());
      assertThat(m.gainSeconds()).isPositive();
      // It restarts after the migration cost and runs its 70 s of work at 0.95.
      assertThat(m.to().predictedSeconds()).isCloseTo(10 + 70 / 0.95, within(1e-6));
    }
    for (ReservedPod p : engine.state().pods()) {
      boolean wasMoved = moved.stream().anyMatch(m -> m.podName().equals(p.podName()));
      double expectedEnd = 100 + (wasMoved ? 10 : 0) + 70 / 0.95;
      assertThat(p.predictedEndSeconds()).as(p.podName()).isCloseTo(expectedEnd, within(1e-6));
      assertThat(p.throughput()).isCloseTo(0.95, within(1e-9));
    }
    assertThat(engine.rebalance(100)).as("nothing left to gain").isEmpty();
    PropertyTest.assertNothingOverAllocated(engine.state());
  }

  @Test
  void aMoveThatCostsMoreThanItSavesIsNotMade() {
    var engine = oneNode(2, new Rebalancing(5000, 8));
    placeBadPairs(engine, "a", "b", "c", "d");

    assertThat(engine.rebalance(0)).isEmpty();
    assertThat(cardTenants(engine.state()))
        .containsExactlyInAnyOrder(Set.of("a", "b"), Set.of("c", "d"));
  }

  @Test
  void aSwapNeedsTwoMovesOfTheRoundsBudget() {
    var engine = oneNode(2, new Rebalancing(10, 1));
    placeBadPairs(engine, "a", "b", "c", "d");

    assertThat(engine.rebalance(0)).isEmpty();
  }

  @Test
  void movesOneOfABadPairToAnEmptyCard() {
    var engine = oneNode(3, new Rebalancing(10, 8));
    placeBadPairs(engine, "a", "b", "c");
    assertThat(engine.state().gpuTenantApps("n0", 2)).isEmpty();

    List<Migration> moved = engine.rebalance(0);

    assertThat(moved).hasSize(1);
    assertThat(moved.get(0).to().gpus().get(0).index()).isEqualTo(2);
    assertThat(cardTenants(engine.state()))
        .containsExactlyInAnyOrder(Set.of("a"), Set.of("b"), Set.of("c"));
  }

  @Test
  void neverMovesAPodToANodeWithoutRoomForIt() {
    // n1's card is empty but its node has 50 millicores free; every pod asks for 100.
    var engine =
        engine(
            List.of(
                Fixtures.gpuNode("n0", 1, 16000, 64000, 256000),
                Fixtures.gpuNode("n1", 1, 16000, 50, 256000)),
            PluginNames.INTERFERENCE_AWARE,
            new Rebalancing(10, 8));
    placeBadPairs(engine, "a", "b");

    assertThat(engine.rebalance(0)).isEmpty();
    assertThat(engine.state().gpuTenantApps("n0", 0)).containsExactly("a", "b");
  }

  @Test
  void onlyAPolicyThatPricesInterferenceRebalances() {
    for (String policy : List.of(PluginNames.SPREAD, PluginNames.BINPACK)) {
      var engine =
          engine(
              List.of(Fixtures.gpuNode("n0", 2, 16000, 64000, 256000)),
              policy,
              new Rebalancing(10, 8));
      placeBadPairs(engine, "a", "b", "c", "d");
      assertThat(engine.rebalance(0)).as(policy).isEmpty();
    }
    var off = oneNode(2, Rebalancing.OFF);
    placeBadPairs(off, "a", "b", "c", "d");
    assertThat(off.rebalance(0)).isEmpty();
  }

  @Test
  void aGangsReplicasStayPutWhereTwoSinglePodsWouldMove() {
    // Two a pods on card 0 (a beside a is not measured: priced by the prior and its uncertainty),
    // card 1 empty. As two jobs, one of them moves; as one gang of two, neither does.
    var singles = oneNode(2, new Rebalancing(10, 8));
    placeBadPairs(singles, "a", "a");
    assertThat(singles.state().gpuTenantApps("n0", 0)).containsExactly("a", "a");
    assertThat(singles.rebalance(0)).hasSize(1);

    var gang = oneNode(2, new Rebalancing(10, 8));
    var job =
        Fixtures.job(
            "g",
            "a",
            0,
            0,
            new dev.cotenant.placement.model.Replicas.Fixed(2),
            dev.cotenant.placement.model.PodShape.share(100, 100, 500, 4000),
            100);
    assertThat(gang.place(Fixtures.withPolicy(job, PluginNames.BINPACK), 0).placed()).isTrue();
    assertThat(gang.state().gpuTenantApps("n0", 0)).containsExactly("a", "a");
    assertThat(gang.state().podsOfJob("g")).isEqualTo(2);
    assertThat(gang.rebalance(0)).isEmpty();
  }

  @Test
  void aPlanThatDoesNotFitChangesNothing() {
    var engine = oneNode(2, new Rebalancing(10, 8));
    placeBadPairs(engine, "a", "b", "c", "d");
    ClusterState state = engine.state();
    ReservedPod a = state.pod("a0-0").orElseThrow();
    ReservedPod c = state.pod("c2-0").orElseThrow();
    Map<String, Double> endsBefore = new java.util.HashMap<>();
    state.pods().forEach(p -> endsBefore.put(p.podName(), p.predictedEndSeconds()));
    // a to card 1 alone: card 1 is full (c and d hold 500 milli each).
    var plan = new Rebalancer.Plan(List.of(new Rebalancer.Move(a, c.cards().get(0))), 1);

    assertThatThrownBy(() -> engine.apply(plan, 50, 10))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("nothing moved");
    assertThat(cardTenants(state)).containsExactlyInAnyOrder(Set.of("a", "b"), Set.of("c", "d"));
    state
        .pods()
        .forEach(
            p ->
                assertThat(p.predictedEndSeconds())
                    .as(p.podName())
                    .isCloseTo(endsBefore.get(p.podName()), within(1e-9)));
    PropertyTest.assertNothingOverAllocated(state);
  }
}
