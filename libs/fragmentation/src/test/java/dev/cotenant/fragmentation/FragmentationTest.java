package dev.cotenant.fragmentation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The measure against nodes whose fragments were worked out by hand. */
class FragmentationTest {

  private static final Shape CPU_ONLY = new Shape(4_000, 0, 0, List.of());
  private static final Shape HALF_CARD = new Shape(4_000, 1, 500, List.of());
  private static final Shape TWO_CARDS = new Shape(8_000, 2, 1000, List.of());
  private static final Shape T4_HALF = new Shape(4_000, 1, 500, List.of("T4"));

  static Stream<Arguments> nodes() {
    return Stream.of(
        // CPU-only shapes use no GPU: every idle milli-GPU is a fragment to them.
        Arguments.of("cpu-only, idle cards", 32_000, new int[] {1000, 300}, CPU_ONLY, 1300),
        Arguments.of("cpu-only, full node", 32_000, new int[] {0, 0}, CPU_ONLY, 0),
        // A card with less than the shape's share left is a fragment; the others are not.
        Arguments.of("half card", 32_000, new int[] {1000, 300, 600}, HALF_CARD, 300),
        Arguments.of("half card, exactly enough", 32_000, new int[] {500, 499}, HALF_CARD, 499),
        // Too little CPU left for the shape: the node cannot take it, everything idle is lost.
        Arguments.of("too little cpu", 3_000, new int[] {1000, 300, 600}, HALF_CARD, 1900),
        // Whole-card shapes: partly held cards are fragments while enough free cards remain...
        Arguments.of("two cards, fits", 32_000, new int[] {1000, 1000, 400}, TWO_CARDS, 400),
        // ... and with fewer free cards than it needs, the node is all fragment to it.
        Arguments.of("two cards, no room", 32_000, new int[] {1000, 400, 400}, TWO_CARDS, 1800),
        // Another GPU model: the shape can never use the node.
        Arguments.of("other model", 32_000, new int[] {1000, 1000}, T4_HALF, 2000),
        Arguments.of("same model", 32_000, new int[] {1000, 200}, T4_HALF.withTypes("P100"), 200));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("nodes")
  void fragmentOfOneShape(String name, long cpuLeft, int[] milliLeft, Shape shape, long expected) {
    assertThat(Fragmentation.forShape(cpuLeft, "P100", milliLeft, shape)).isEqualTo(expected);
  }

  @Test
  void nodeMeasureIsTheWeightedSumOverTheTargetShapes() {
    TargetWorkload target = TargetWorkload.of(Map.of(CPU_ONLY, 1.0, HALF_CARD, 3.0));
    // CPU-only: 1300 idle; half card: the 300 card. 0.25 * 1300 + 0.75 * 300 = 550.
    assertThat(Fragmentation.of(32_000, "P100", new int[] {1000, 300}, target))
        .isCloseTo(550, within(1e-9));
  }

  @Test
  void liveNodeIsMeasuredAsItsState() {
    GpuNode node = new GpuNode(0, new NodeCapacity("n", 32_000, 65_536, 2, "P100"));
    TargetWorkload target = TargetWorkload.of(Map.of(HALF_CARD, 1.0));
    assertThat(Fragmentation.ofNode(node, target)).isZero();
    node.allocate(PodRequest.of("p", 1_000, 1_024, 1, 700), new int[] {1});
    assertThat(Fragmentation.ofNode(node, target)).isEqualTo(300);
  }

  @Test
  void targetKeepsTheMostPopularShapesCoveringTheShare() {
    List<PodRequest> pods = new ArrayList<>();
    add(pods, 10, PodRequest.of("a", 4_000, 1, 1, 500));
    add(pods, 6, PodRequest.of("b", 8_000, 1, 0, 0));
    add(pods, 3, PodRequest.of("c", 8_000, 1, 2, 1000));
    add(pods, 1, PodRequest.of("d", 1_000, 1, 1, 100));
    // 95% of 20 pods is 19: a, b and c cover exactly that, d is left out.
    TargetWorkload target = TargetWorkload.covering(pods, 0.95);
    assertThat(target.shapes())
        .extracting(TargetWorkload.Weighted::shape)
        .containsExactly(pods.get(0).shape(), pods.get(10).shape(), pods.get(16).shape());
    assertThat(target.shapes())
        .extracting(TargetWorkload.Weighted::weight)
        .containsExactly(10 / 19.0, 6 / 19.0, 3 / 19.0);
  }

  private static void add(List<PodRequest> pods, int n, PodRequest pod) {
    for (int i = 0; i < n; i++) {
      pods.add(pod.renamed(pod.name() + i));
    }
  }
}
