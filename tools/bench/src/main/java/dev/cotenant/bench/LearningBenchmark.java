package dev.cotenant.bench;

import dev.cotenant.interference.learn.LearnedModel;
import dev.cotenant.interference.learn.Observation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
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
 * What learning costs: {@link #observe} is one finished pod into a model that has seen {@code runs}
 * runs of {@code apps} apps (its app's regression and row of predictions, no refit); {@link #refit}
 * is refitting the predictor from those runs (capped per app as the model keeps them).
 */
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx2g", "-XX:+UseSerialGC"})
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LearningBenchmark {

  @State(Scope.Thread)
  public static class Model {
    @Param({"26", "100"})
    int apps;

    @Param({"1000"})
    int runs;

    LearnedModel model;
    List<Observation> stream;
    int next;

    @Setup(Level.Trial)
    public void setUp() {
      Random random = new Random(42);
      model = new LearnedModel(LearnedModel.Config.defaults().withRefitEvery(Integer.MAX_VALUE));
      List<Observation> history = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        history.add(run(random));
      }
      model.observeAll(history);
      stream = new ArrayList<>();
      for (int i = 0; i < 100_000; i++) {
        stream.add(run(random));
      }
    }

    /** A run beside one to three co-tenant apps, each for part of its time. */
    Observation run(Random random) {
      Map<String, Double> shares = new TreeMap<>();
      int k = 1 + random.nextInt(3);
      for (int j = 0; j < k; j++) {
        shares.put("app-" + random.nextInt(apps), random.nextDouble() / k);
      }
      return Observation.completed(
              "app-" + random.nextInt(apps), 600 + 600 * random.nextDouble(), shares)
          .withWork(1000);
    }
  }

  @Benchmark
  public void observe(Model m) {
    m.model.observe(m.stream.get(m.next++ % m.stream.size()));
  }

  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Measurement(iterations = 10)
  @Warmup(iterations = 3)
  public void refit(Model m) {
    m.model.refit();
  }
}
