package dev.cotenant.placement.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.cotenant.interference.MatrixModel;
import dev.cotenant.placement.EngineConfig;
import dev.cotenant.placement.Fixtures;
import dev.cotenant.placement.framework.CandidateView;
import dev.cotenant.placement.framework.CycleState;
import dev.cotenant.placement.framework.Demand;
import dev.cotenant.placement.framework.PodContext;
import dev.cotenant.placement.framework.Predictions;
import dev.cotenant.placement.model.JobRequest;
import dev.cotenant.placement.model.PodShape;
import dev.cotenant.placement.model.Replicas;
import dev.cotenant.placement.state.Card;
import dev.cotenant.placement.state.ClusterState;
import dev.cotenant.placement.state.Node;
import dev.cotenant.placement.state.PodReservation;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The fragmentation score against deltas worked out by hand on two-card nodes, its nominee against
 * a scan of every candidate, and the target taken from the demand.
 */
class FragmentationDeltaTest {

  private static final PodShape HALF = PodShape.share(1000, 100, 500, 0);
  private final FragmentationDelta plugin = new FragmentationDelta();
  private final CycleState cycle = new CycleState();
  private final Demand demand = new Demand();
  private final ClusterState state =
      new ClusterState(
          List.of(
              Fixtures.gpuNode("n0", 2, 16000, 8000, 32000),
              Fixtures.gpuNode("n1", 2, 16000, 8000, 32000)));
  private int reserved;

  private static JobRequest job(PodShape shape) {
    return Fixtures.job("p", "a", 0, 0, new Replicas.Fixed(1), shape, 100);
  }

  private PodContext pod(PodShape shape) {
    return new PodContext(
        job(shape),
        "p-0",
        100,
        0,
        new Predictions(MatrixModel.empty()),
        EngineConfig.defaults(),
        state,
        demand);
  }

  private void hold(String node, int card, int milli) {
    String name = "t" + reserved++;
    state.reserve(
        new PodReservation(
            name, name, "x", PodShape.share(1000, 100, milli, 0), node, List.of(card), 0, 100, 1));
  }

  private Card card(String node, int index) {
    return state.node(node).orElseThrow().cards().get(index);
  }

  /** FGD's integer score of a delta, plus the packing fraction of the node's free milli-GPU. */
  private static double expected(double delta, int nodeFreeMilli) {
    return (long) (100 / (1 + Math.exp(-delta / 1000))) + 0.5 * (1 - nodeFreeMilli / 16_000.0);
  }

  @Test
  void withoutDemandTheScoreIsSilent() {
    PodContext p = pod(HALF);
    assertThat(plugin.score(cycle, p, CandidateView.share(card("n0", 0)))).isZero();
    List<CandidateView> out = new ArrayList<>();
    plugin.nominate(cycle, p, v -> true, out);
    assertThat(out).isEmpty();
  }

  @Test
  void shareDeltasByHand() {
    // Target: half-card pods only. n0 card 0 holds 300 milli: 700 and 1000 left, nothing
    // fragmented (both cards take a half).
    demand.arrived(job(HALF));
    hold("n0", 0, 300);
    PodContext p = pod(PodShape.share(1000, 100, 300, 0));
    // On card 0: 400 left, less than a half: 400 fragmented, delta -400 -> 100 * sigmoid(-0.4)
    // = 40.1 -> 40.
    assertThat(plugin.score(cycle, p, CandidateView.share(card("n0", 0))))
        .isCloseTo(expected(-400, 1700), within(1e-9))
        .isCloseTo(40 + 0.5 * (1 - 1700 / 16_000.0), within(1e-9));
    // On card 1: 700 left, still takes a half: delta 0 -> 50.
    assertThat(plugin.score(cycle, p, CandidateView.share(card("n0", 1))))
        .isCloseTo(expected(0, 1700), within(1e-9));
  }

  @Test
  void cpuOnlyTargetCountsEveryIdleMilli() {
    // Target: CPU-only pods, to which every idle milli-GPU is lost. A half-card pod on n0 takes
    // 500 of its 2000 idle: fragmentation falls by 500, delta +500 -> 100 * sigmoid(0.5) = 62.2.
    demand.arrived(job(PodShape.cpu(1000, 100)));
    PodContext p = pod(HALF);
    assertThat(plugin.score(cycle, p, CandidateView.share(card("n0", 0))))
        .isCloseTo(expected(500, 2000), within(1e-9));
    assertThat((long) expected(500, 2000)).isEqualTo(62);
  }

  @Test
  void wholeCardsAndTooLittleCpu() {
    // Target: one whole card. n0 card 0 holds 300: card 0 is a fragment to it (700).
    demand.arrived(job(PodShape.whole(1000, 100, 1)));
    hold("n0", 0, 300);
    Node n0 = state.node("n0").orElseThrow();
    // A whole card on card 1 leaves only card 0 (700 left, not whole): the shape cannot go, all
    // 700 idle is fragmented; before it was 700 too: delta 0.
    PodContext whole = pod(PodShape.whole(1000, 100, 1));
    assertThat(plugin.score(cycle, whole, CandidateView.whole(n0, List.of(card("n0", 1)))))
        .isCloseTo(expected(0, 1700), within(1e-9));
    // A CPU-only pod taking 6 of the 7 cores left: the whole-card shape (1 core) still fits:
    // delta 0. Taking all 7 would strand the free card: delta -1000 -> 26.
    assertThat(plugin.score(cycle, pod(PodShape.cpu(6000, 100)), CandidateView.cpuOnly(n0)))
        .isCloseTo(expected(0, 1700), within(1e-9));
    assertThat(plugin.score(cycle, pod(PodShape.cpu(7000, 100)), CandidateView.cpuOnly(n0)))
        .isCloseTo(expected(-1000, 1700), within(1e-9));
    assertThat((long) expected(-1000, 1700)).isEqualTo(26);
  }

  @Test
  void nomineeIsTheBestNodeAndCard() {
    // n1 card 0 holds 300. A half-card pod: on n1 card 0, 200 left (fragment, delta -200 -> 45);
    // on n1 card 1 or any n0 card nothing fragments (50); ties go to the fuller node, n1, card 1.
    demand.arrived(job(HALF));
    hold("n1", 0, 300);
    List<CandidateView> out = new ArrayList<>();
    plugin.nominate(cycle, pod(HALF), v -> true, out);
    assertThat(out).containsExactly(CandidateView.share(card("n1", 1)));
    // A filter that refuses n1 sends it to n0.
    out.clear();
    plugin.nominate(cycle, pod(HALF), v -> !v.node().name().equals("n1"), out);
    assertThat(out).containsExactly(CandidateView.share(card("n0", 0)));
  }

  @Test
  void nomineeFollowsTheStateIncrementallyAsAScanWouldFindIt() {
    // Random reserves and releases on 12 nodes of 4 cards; after each, the nominee's score equals
    // the best score of every candidate (a full scan), with node order breaking ties.
    ClusterState big =
        new ClusterState(
            java.util.stream.IntStream.range(0, 12)
                .mapToObj(i -> Fixtures.gpuNode("m" + i, 4, 16000, 16000, 64000))
                .toList());
    Demand asked = new Demand(50, 0.05);
    SplittableRandom random = new SplittableRandom(7);
    int[] shares = {200, 300, 500, 700};
    List<String> placed = new ArrayList<>();
    for (int step = 0; step < 400; step++) {
      PodShape shape =
          random.nextInt(5) == 0
              ? PodShape.whole(2000, 100, 1 + random.nextInt(2))
              : PodShape.share(1000 * (1 + random.nextInt(3)), 100, shares[random.nextInt(4)], 0);
      JobRequest j = Fixtures.job("j" + step, "a", 0, step, new Replicas.Fixed(1), shape, 100);
      asked.arrived(j);
      PodContext p =
          new PodContext(
              j,
              "j" + step + "-0",
              100,
              0,
              new Predictions(MatrixModel.empty()),
              EngineConfig.defaults(),
              big,
              asked);
      List<CandidateView> all = every(big, shape);
      List<CandidateView> out = new ArrayList<>();
      plugin.nominate(cycle, p, v -> true, out);
      if (all.isEmpty()) {
        assertThat(out).isEmpty();
      } else {
        double best = all.stream().mapToDouble(v -> plugin.score(cycle, p, v)).max().orElseThrow();
        assertThat(out).hasSize(1);
        assertThat(plugin.score(cycle, p, out.get(0))).isCloseTo(best, within(1e-9));
        CandidateView v = out.get(0);
        big.reserve(
            new PodReservation(
                p.podName(),
                j.jobId(),
                "a",
                shape,
                v.node().name(),
                v.card().isPresent()
                    ? List.of(v.card().get().index())
                    : v.wholeCards().stream().map(Card::index).toList(),
                0,
                100,
                1));
        placed.add(p.podName());
      }
      if (random.nextInt(3) == 0 && !placed.isEmpty()) {
        big.release(placed.remove(random.nextInt(placed.size())));
      }
    }
  }

  /** Every place the pod could go: each fitting card, or each node with enough free cards. */
  private static List<CandidateView> every(ClusterState s, PodShape shape) {
    List<CandidateView> all = new ArrayList<>();
    for (Node n : s.nodes()) {
      if (n.freeCpuMilli() < shape.cpuMilli()) {
        continue;
      }
      if (shape.isShare()) {
        for (Card c : n.cards()) {
          if (!c.exclusive() && c.freeMilli() >= shape.gpuMilli()) {
            all.add(CandidateView.share(c));
          }
        }
      } else {
        List<Card> free =
            n.cards().stream().filter(Card::isEmpty).limit(shape.wholeGpus()).toList();
        if (free.size() == shape.wholeGpus()) {
          all.add(CandidateView.whole(n, free));
        }
      }
    }
    return all;
  }
}
