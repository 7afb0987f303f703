package dev.cotenant.fragmentation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.cotenant.fragmentation.policy.Baselines;
import dev.cotenant.fragmentation.policy.BestFit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The fill protocol on clusters small enough to follow by hand. */
class FillRunTest {

  private static final TargetWorkload ANY =
      TargetWorkload.covering(List.of(PodRequest.of("t", 1_000, 1, 1, 500)), 1);

  static List<String> policies() {
    return List.copyOf(Baselines.names());
  }

  @Test
  void allocationCurveOfATinyClusterIsTheOneWorkedOutByHand() {
    // One node, two cards: 2000 milli-GPU of capacity.
    List<NodeCapacity> nodes = List.of(new NodeCapacity("n0", 8_000, 65_536, 2, "T4"));
    List<PodRequest> arrivals =
        List.of(
            PodRequest.of("p1", 1_000, 1_024, 1, 500), // card 0: [500, 1000]; 25% in, 25% used
            PodRequest.of("p2", 1_000, 1_024, 1, 1000), // free card 1: [500, 0]; 75%, 75%
            PodRequest.of("p3", 1_000, 1_024, 1, 600), // fits no card: dropped; 105%, 75%
            PodRequest.of("p4", 1_000, 1_024, 1, 500)); // card 0: [0, 0]; 130%, 100%
    FillCurve curve = FillRun.run(nodes, arrivals, new BestFit(), 1, f -> {});

    assertThat(curve.pods()).isEqualTo(4);
    assertThat(curve.placed()).isEqualTo(3);
    assertThat(curve.allocatedAt(25)).isEqualTo(0.25);
    assertThat(curve.allocatedAt(75)).isEqualTo(0.75);
    assertThat(curve.unallocatedPercentAt(105)).isCloseTo(25, within(1e-9));
    assertThat(curve.unallocatedPercentAt(130)).isZero();
    // No arrival lands within a percent of 100% arrived: nothing to read there.
    assertThat(curve.allocatedAt(100)).isNaN();
  }

  @Test
  void tiesGoToTheFirstNodeInOrderOrAreDrawnUniformly() {
    List<NodeCapacity> nodes = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      nodes.add(new NodeCapacity("n" + i, 64_000, 262_144, 1, "T4"));
    }
    // Every empty one-card node scores the same for a whole card under gpu-clustering.
    List<PodRequest> one = List.of(PodRequest.of("p", 1_000, 1_024, 1, 1000));
    Set<String> first = new HashSet<>();
    Set<String> drawn = new HashSet<>();
    for (long seed = 1; seed <= 40; seed++) {
      FillRun.run(
          nodes, one, recording("gpu-clustering", first), seed, FillRun.Ties.FIRST, f -> {});
      FillRun.run(
          nodes, one, recording("gpu-clustering", drawn), seed, FillRun.Ties.RANDOM, f -> {});
    }
    assertThat(first).containsExactly("n0");
    assertThat(drawn).hasSizeGreaterThan(4);
  }

  /** The policy, noting the node of every placement it makes. */
  private static FillPolicy recording(String name, Set<String> chosen) {
    FillPolicy policy = Baselines.create(name, ANY);
    return new FillPolicy() {
      @Override
      public String name() {
        return policy.name();
      }

      @Override
      public long score(PodRequest pod, GpuNode node) {
        return policy.score(pod, node);
      }

      @Override
      public int[] cards(PodRequest pod, GpuNode node, RandomGenerator random) {
        chosen.add(node.name());
        return policy.cards(pod, node, random);
      }
    };
  }

  @Test
  void readingAtAPercentAveragesTheArrivalsRoundingToIt() {
    FillCurve curve = new FillCurve(100);
    curve.record(0.898, 0.80, true);
    curve.record(0.902, 0.84, true);
    curve.record(0.91, 0.99, true); // rounds to 91%
    assertThat(curve.allocatedAt(90)).isCloseTo(0.82, within(1e-12));
    // 89% has no point of its own: 88-90% are averaged.
    assertThat(curve.allocatedAt(89)).isCloseTo(0.82, within(1e-12));
  }

  @Test
  void arrivalsAreTheWholeTraceThenSamplesUpToTheInflatedCapacity() {
    List<PodRequest> trace = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      trace.add(PodRequest.of("p" + i, 1_000, 1_024, i % 4 == 0 ? 0 : 1, i % 4 == 0 ? 0 : 250));
    }
    long capacity = 10_000; // the trace asks for 30 * 250 = 7500 of it
    List<PodRequest> arrivals = FillRun.arrivals(trace, capacity, 1.3, 7);

    List<String> first = arrivals.subList(0, 40).stream().map(PodRequest::name).toList();
    assertThat(first).containsExactlyInAnyOrderElementsOf(names(trace)).isNotEqualTo(names(trace));
    long requested = arrivals.stream().mapToLong(PodRequest::totalGpuMilli).sum();
    // Samples stop at the first that would pass 13,000; each GPU pod here asks for 250.
    assertThat(requested).isLessThanOrEqualTo(13_000).isGreaterThan(13_000 - 250);
    assertThat(arrivals.subList(40, arrivals.size()))
        .allSatisfy(p -> assertThat(p.name()).contains("-sampled-"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("policies")
  void gpuModelIsAHardFilter(String policy) {
    List<NodeCapacity> nodes =
        List.of(
            new NodeCapacity("v100", 64_000, 262_144, 8, "V100M16"),
            new NodeCapacity("t4", 64_000, 262_144, 1, "T4"));
    List<PodRequest> arrivals = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      arrivals.add(new PodRequest("t4-" + i, 1_000, 1_024, 1, 500, List.of("T4", "A10")));
    }
    FillCurve curve = FillRun.run(nodes, arrivals, Baselines.create(policy, ANY), 3, f -> {});
    // Only the T4 card may take them: two halves fit, the rest are dropped with 8 V100s free.
    assertThat(curve.placed()).isEqualTo(2);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("policies")
  void multiGpuPodsNeedWholeFreeCards(String policy) {
    List<NodeCapacity> nodes = List.of(new NodeCapacity("n", 64_000, 262_144, 4, "P100"));
    List<PodRequest> arrivals =
        List.of(
            PodRequest.of("share", 1_000, 1_024, 1, 100),
            PodRequest.of("four", 1_000, 1_024, 4, 1000),
            PodRequest.of("three", 1_000, 1_024, 3, 1000));
    FillCurve curve = FillRun.run(nodes, arrivals, Baselines.create(policy, ANY), 5, f -> {});
    // 3,900 milli-GPU would fit by sum, but the 4-card pod needs four free cards: after all 7,100
    // arrived (177.5% of capacity) 3,100 are allocated.
    assertThat(curve.placed()).isEqualTo(2);
    assertThat(curve.allocatedAt(178)).isCloseTo(0.775, within(1e-12));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("policies")
  void sameSeedSameRunOtherSeedOtherRun(String policy) {
    SplittableRandom random = new SplittableRandom(11);
    List<NodeCapacity> nodes = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      nodes.add(new NodeCapacity("n" + i, 32_000 + 32_000 * (i % 2), 262_144, 2 << (i % 3), "G2"));
    }
    List<PodRequest> trace = new ArrayList<>();
    int[] milli = {0, 100, 250, 500, 1000, 1000};
    for (int i = 0; i < 200; i++) {
      int m = milli[random.nextInt(milli.length)];
      int gpus = m == 1000 && random.nextInt(4) == 0 ? 2 : m == 0 ? 0 : 1;
      trace.add(PodRequest.of("p" + i, 1_000L * (1 + random.nextInt(16)), 4_096, gpus, m));
    }
    TargetWorkload target = TargetWorkload.covering(trace, 0.95);
    long capacity = FillRun.capacityMilli(nodes);

    String a = run(nodes, trace, capacity, policy, target, 42);
    String b = run(nodes, trace, capacity, policy, target, 42);
    String c = run(nodes, trace, capacity, policy, target, 43);
    assertThat(a).isEqualTo(b).isNotEqualTo(c);
  }

  private static String run(
      List<NodeCapacity> nodes,
      List<PodRequest> trace,
      long capacity,
      String policy,
      TargetWorkload target,
      long seed) {
    List<PodRequest> arrivals = FillRun.arrivals(trace, capacity, 1.3, seed);
    FillCurve curve = FillRun.run(nodes, arrivals, Baselines.create(policy, target), seed, f -> {});
    StringBuilder points = new StringBuilder(names(arrivals).hashCode() + ":" + curve.placed());
    for (int p = 0; p <= curve.maxPercent(); p++) {
      points.append(',').append(curve.allocatedAt(p));
    }
    return points.toString();
  }

  private static List<String> names(List<PodRequest> pods) {
    return pods.stream().map(PodRequest::name).collect(Collectors.toList());
  }
}
