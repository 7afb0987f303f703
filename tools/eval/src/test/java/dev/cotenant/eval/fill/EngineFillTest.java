package dev.cotenant.eval.fill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cotenant.fragmentation.FillCurve;
import dev.cotenant.fragmentation.FillRun;
import dev.cotenant.fragmentation.NodeCapacity;
import dev.cotenant.fragmentation.PodRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The fill protocol through the placement engine. */
class EngineFillTest {

  /** 40 nodes of 4 cards and 32 cores; a trace of mixed shares, whole cards and CPU-only pods. */
  private static List<NodeCapacity> nodes() {
    List<NodeCapacity> nodes = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      nodes.add(new NodeCapacity("n" + i, 32_000, 262_144, 4, "P100"));
    }
    return nodes;
  }

  private static List<PodRequest> trace() {
    SplittableRandom random = new SplittableRandom(3);
    List<PodRequest> pods = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      int kind = random.nextInt(10);
      String name = "p" + i;
      pods.add(
          switch (kind) {
            case 0, 1, 2 -> PodRequest.of(name, 4_000, 1024, 1, 500);
            case 3, 4 -> PodRequest.of(name, 2_000, 1024, 1, 250);
            case 5 -> PodRequest.of(name, 6_000, 1024, 1, 750);
            case 6, 7 -> PodRequest.of(name, 8_000, 1024, 1, 1000);
            case 8 -> PodRequest.of(name, 16_000, 1024, 4, 1000);
            default -> PodRequest.of(name, 8_000, 1024, 0, 0);
          });
    }
    return pods;
  }

  @Test
  void interferenceAwareStrandsLessThanBestFitOnATinyCluster() {
    var setup =
        FillExperiment.Setup.of(
            nodes(),
            trace(),
            List.of("best-fit", "fgd", "interference-aware"),
            LongStream.rangeClosed(1, 5).boxed().toList(),
            FillRun.DEFAULT_INFLATE,
            FillRun.Ties.FIRST);
    List<FillExperiment.PolicyResult> results = FillExperiment.run(setup, f -> {});
    double bestFit = results.get(0).meanUnallocated(100);
    double fgd = results.get(1).meanUnallocated(100);
    double ours = results.get(2).meanUnallocated(100);
    // Measured: best-fit 1.55%, fgd 1.49%, interference-aware 1.49% unallocated at 100% arrived.
    assertThat(ours)
        .as("ours %.2f, best-fit %.2f, fgd %.2f", ours, bestFit, fgd)
        .isLessThan(bestFit);
  }

  @Test
  void sameSeedSameCurve() {
    List<PodRequest> arrivals =
        FillRun.arrivals(trace(), FillRun.capacityMilli(nodes()), FillRun.DEFAULT_INFLATE, 1);
    long capacity = FillRun.capacityMilli(nodes());
    FillCurve a =
        FillRun.run(capacity, arrivals, new EngineFill(nodes(), "interference-aware"), f -> {});
    FillCurve b =
        FillRun.run(capacity, arrivals, new EngineFill(nodes(), "interference-aware"), f -> {});
    assertThat(a.unallocatedPercentAt(100)).isEqualTo(b.unallocatedPercentAt(100));
  }

  @Test
  void gpuModelsAreAHardConstraintThroughTheEngine() {
    List<NodeCapacity> mixed =
        List.of(
            new NodeCapacity("t4", 32_000, 65_536, 2, "T4"),
            new NodeCapacity("v100", 32_000, 65_536, 2, "V100M32"));
    EngineFill fill = new EngineFill(mixed, "interference-aware");
    PodRequest typed = new PodRequest("typed", 1_000, 1_024, 1, 1000, List.of("V100M32"));
    assertThat(fill.place(typed)).isTrue();
    assertThat(fill.place(typed.renamed("typed-2"))).isTrue();
    // Both V100 cards are taken; the T4 node is free but not of the model asked for.
    assertThat(fill.place(typed.renamed("typed-3"))).isFalse();
  }
}
