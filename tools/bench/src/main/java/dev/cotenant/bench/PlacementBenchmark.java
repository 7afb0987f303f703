package dev.cotenant.bench;

import dev.cotenant.placement.model.Decision;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The {@code interference-aware} placement engine in steady state (see {@link SteadyState}),
 * single-threaded.
 *
 * <ul>
 *   <li>{@link #steadyState}: throughput of one operation = place a new pod + finish a random
 *       running one, i.e. sustained placements per second including the release bookkeeping.
 *   <li>{@link #placeDecision}: the latency distribution of {@code place()} alone; the matching
 *       {@code finished()} runs in an invocation-level teardown, outside the timing.
 * </ul>
 */
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx6g"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
public class PlacementBenchmark {

  /** The cluster, built once per trial (per fork and parameter set). */
  @State(Scope.Thread)
  public static class Cluster {

    @Param({"500", "5000", "50000"})
    public int nodes;

    /** {@code grid} (54 shapes) or {@code fine} (every unit); see {@link SteadyState.Shapes}. */
    @Param({"grid"})
    public String shapes;

    /** {@code single} (one tenant per card) or {@code shared}; see {@link SteadyState.Sharing}. */
    @Param({"single"})
    public String steady;

    SteadyState state;

    @Setup(Level.Trial)
    public void setUp() {
      long t0 = System.nanoTime();
      state =
          SteadyState.build(
              nodes,
              SteadyState.Sharing.parse(steady),
              SteadyState.Shapes.parse(shapes),
              SteadyState.SEED);
      System.out.printf(
          "%n# setup: %s, %d nodes, %d running pods (%.2f per card), %d share classes, %d app"
              + " groups, %.1f s%n",
          steady,
          nodes,
          state.runningPods(),
          state.runningPods() / (double) (nodes * SteadyState.GPUS_PER_NODE),
          state.shareClasses(),
          state.appGroups(),
          (System.nanoTime() - t0) / 1e9);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      System.out.printf(
          "%n# end of trial: %d running pods, %d share classes, %d app groups%n",
          state.runningPods(), state.shareClasses(), state.appGroups());
    }
  }

  /** The same cluster; each invocation's new pod is matched by a finished one after timing. */
  @State(Scope.Thread)
  public static class ClusterFinishingAfterEach extends Cluster {

    @TearDown(Level.Invocation)
    public void finishOne() {
      state.finishOne();
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public Decision steadyState(Cluster c) {
    return c.state.step();
  }

  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public Decision placeDecision(ClusterFinishingAfterEach c) {
    return c.state.place();
  }
}
