package dev.cotenant.fragmentation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cotenant.fragmentation.policy.BestFit;
import dev.cotenant.fragmentation.policy.DotProduct;
import dev.cotenant.fragmentation.policy.Fgd;
import dev.cotenant.fragmentation.policy.FgdRecent;
import dev.cotenant.fragmentation.policy.GpuClustering;
import dev.cotenant.fragmentation.policy.GpuPacking;
import dev.cotenant.fragmentation.policy.RandomFit;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each policy's score on nodes worked out by hand from FGD's plugins. */
class PoliciesTest {

  private static final PodRequest HALF = PodRequest.of("half", 4_000, 1_024, 1, 500);
  private static final PodRequest FIFTH = PodRequest.of("fifth", 4_000, 1_024, 1, 200);
  private static final PodRequest ONE = PodRequest.of("one", 4_000, 1_024, 1, 1000);
  private static final PodRequest CPU = PodRequest.of("cpu", 8_000, 1_024, 0, 0);

  /** A node of {@code cards} cards with the given pods already placed on the given cards. */
  static GpuNode node(int cards, Object... placed) {
    GpuNode node = new GpuNode(0, new NodeCapacity("n", 64_000, 262_144, cards, "P100"));
    for (int i = 0; i < placed.length; i += 2) {
      node.allocate((PodRequest) placed[i], (int[]) placed[i + 1]);
    }
    return node;
  }

  static Stream<Arguments> scores() {
    return Stream.of(
        // BestFit: 100 × (1 − (60000/128000 + 1500/8000) / 2) = 67.19.
        Arguments.of(new BestFit(), HALF, node(2), 67),
        // DotProd: 100 × (1 − (0.5 × 4000/128000 + 0.25 × 500/8000) / 2) = 98.44.
        Arguments.of(new DotProduct(), HALF, node(2), 98),
        // GpuPacking: untouched node, 33 − free cards (at least the free cards).
        Arguments.of(new GpuPacking(), HALF, node(8), 25),
        Arguments.of(new GpuPacking(), HALF, node(2), 31),
        // ... a partly used node where the pod needs one free card: 50 − 1.
        Arguments.of(new GpuPacking(), ONE, node(4, HALF, new int[] {0}), 49),
        // ... a used card with 300 left: 100 − (300 × 100 / 1000) / 10.
        Arguments.of(
            new GpuPacking(), FIFTH, node(2, PodRequest.of("p", 1, 1, 1, 700), new int[] {0}), 97),
        Arguments.of(new GpuPacking(), CPU, node(2), 0),
        // GpuClustering: an empty node is 25 + 25 × used/8000.
        Arguments.of(new GpuClustering(), HALF, node(8), 25),
        // ... only shares on it, 1500 of 2000 left: 75 + 25 × 6500 / 8000 = 95.
        Arguments.of(new GpuClustering(), HALF, node(2, HALF, new int[] {0}), 95),
        // ... only whole-card pods on it: 0 + 25 × 7000 / 8000 = 21.
        Arguments.of(new GpuClustering(), HALF, node(2, ONE, new int[] {0}), 21),
        // ... both kinds, 500 of 2000 left: 50 + 25 × 7500 / 8000 = 73.
        Arguments.of(
            new GpuClustering(),
            HALF,
            node(2, ONE, new int[] {0}, PodRequest.of("q", 1, 1, 1, 500), new int[] {1}),
            73),
        Arguments.of(new GpuClustering(), CPU, node(2), 0));
  }

  @ParameterizedTest(name = "{0} {1}: {3}")
  @MethodSource("scores")
  void scoreOnAHandComputedNode(FillPolicy policy, PodRequest pod, GpuNode node, long expected) {
    assertThat(policy.score(pod, node)).isEqualTo(expected);
  }

  @Test
  void bestFitNormalisesItsScoresToZeroToHundred() {
    long[] scores = {67, 80, 67, 73, 0};
    new BestFit().normalize(scores, 4);
    assertThat(scores).containsExactly(0, 100, 0, 46, 0);
  }

  @Test
  void bestFitCardIsTheFittingOneWithLeastLeft() {
    GpuNode node = node(3, PodRequest.of("a", 1, 1, 1, 300), new int[] {0}, FIFTH, new int[] {1});
    // Left: 700, 800, 1000; a half fits all three, 700 is the least.
    assertThat(new BestFit().cards(HALF, node, new SplittableRandom(1))).containsExactly(0);
    assertThat(new BestFit().cards(ONE, node, new SplittableRandom(1))).containsExactly(2);
  }

  @Test
  void fgdTakesTheCardThatStrandsLeast() {
    // Target: half cards only. On [1000, 600] a half on card 0 leaves [500, 600], no fragment
    // (Δ 0, score 50); on card 1 it leaves a 100 sliver (Δ −100, score 47).
    TargetWorkload target = TargetWorkload.of(Map.of(HALF.shape(), 1.0));
    GpuNode node = node(2, PodRequest.of("a", 1, 1, 1, 400), new int[] {1});
    Fgd fgd = new Fgd(target);
    assertThat(fgd.score(HALF, node)).isEqualTo(50);
    assertThat(fgd.cards(HALF, node, new SplittableRandom(1))).containsExactly(0);
  }

  @Test
  void fgdRecentTakesItsTargetFromWhatArrived() {
    GpuNode node = node(2, PodRequest.of("a", 1, 1, 1, 400), new int[] {1});
    GpuNode[] feasible = {node};
    // Only halves arrived: as FGD against halves, card 0 (no sliver) over card 1 (a 100 sliver).
    FgdRecent halves = new FgdRecent(10);
    for (int i = 0; i < 3; i++) {
      halves.arrived(HALF);
    }
    halves.prepare(HALF, feasible, 1, new SplittableRandom(1));
    assertThat(halves.score(HALF, node)).isEqualTo(50);
    assertThat(halves.cards(HALF, node, new SplittableRandom(1))).containsExactly(0);
    // Only 0.6-card pods arrived: card 0 would leave a 500 no 0.6 fits (Δ −500, score 37), card 1
    // a 100 sliver (Δ −100, score 47): the target turns the choice to card 1.
    FgdRecent sixths = new FgdRecent(10);
    sixths.arrived(PodRequest.of("s", 4_000, 1_024, 1, 600));
    sixths.prepare(HALF, feasible, 1, new SplittableRandom(1));
    assertThat(sixths.score(HALF, node)).isEqualTo(47);
    assertThat(sixths.cards(HALF, node, new SplittableRandom(1))).containsExactly(1);
  }

  @Test
  void randomScoresOnlyTheNodeItDrew() {
    GpuNode[] nodes = {node(2), node(2), node(2)};
    RandomFit random = new RandomFit();
    random.prepare(HALF, nodes, 3, new SplittableRandom(3));
    List<Long> scores = Stream.of(nodes).map(n -> random.score(HALF, n)).toList();
    assertThat(scores).containsOnly(0L, 100L).filteredOn(s -> s == 100).hasSize(1);
  }
}
