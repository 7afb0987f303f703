package dev.cotenant.bench;

import dev.cotenant.interference.AppInfo;
import dev.cotenant.interference.MatrixModel;
import dev.cotenant.placement.EngineConfig;
import dev.cotenant.placement.PlacementEngine;
import dev.cotenant.placement.model.JobRequest;
import dev.cotenant.placement.model.PodShape;
import dev.cotenant.placement.model.Replicas;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one rebalancing round costs on a full cluster: {@link SteadyState}'s N nodes × 8 P100 with
 * one pod per card, then another 8·N pods placed by interference-aware, so every card is shared
 * (16·N running pods, paired as they arrived: plenty to improve). One round (migration cost 35 s,
 * at most 8 pods moved) runs on a freshly built cluster per iteration, so each measures the same
 * situation: several searches, each applied, then the one that finds nothing more or the budget.
 */
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx6g", "-XX:+UseParallelGC"})
@Warmup(iterations = 3)
@Measurement(iterations = 10)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class RebalanceBenchmark {

  @State(Scope.Thread)
  public static class Cluster {
    @Param({"500", "5000"})
    int nodes;

    PlacementEngine engine;

    @Setup(Level.Iteration)
    public void setUp() {
      MatrixModel model = SteadyState.loadModel(SteadyState.root());
      SteadyState base = SteadyState.build(nodes, SteadyState.Shapes.GRID, model, SteadyState.SEED);
      engine =
          new PlacementEngine(
              base.engine().state(),
              model,
              EngineConfig.defaults().withRebalancing(new EngineConfig.Rebalancing(35, 8)));
      List<String> apps = model.matrix().apps().stream().map(AppInfo::name).sorted().toList();
      SplittableRandom random = new SplittableRandom(SteadyState.SEED + 1);
      int cards = nodes * SteadyState.GPUS_PER_NODE;
      for (int i = 0; i < cards; i++) {
        JobRequest job =
            new JobRequest(
                "second-" + i,
                apps.get(random.nextInt(apps.size())),
                0,
                i,
                new Replicas.Fixed(1),
                PodShape.share(SteadyState.POD_CPU_MILLI, SteadyState.POD_MEMORY_MIB, 250, 2048),
                1_800 + random.nextDouble() * 5_400,
                Optional.empty());
        if (!engine.place(job, 0).placed()) {
          throw new IllegalStateException("second pod " + i + " not placed");
        }
      }
      System.out.printf(
          "# setup: %d nodes, %d running pods, %d tenant-app groups%n",
          nodes, engine.state().pods().size(), engine.state().appGroups().size());
    }
  }

  @Benchmark
  public int round(Cluster c) {
    int moved = c.engine.rebalance(60).size();
    if (moved == 0) {
      throw new IllegalStateException("the round moved nothing: it measured no rebalancing");
    }
    return moved;
  }
}
