package dev.cotenant.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Statistics;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code BenchMain placement [--nodes N] [--quick] [--shapes grid|fine]}: runs {@link
 * PlacementBenchmark} through the JMH API, prints a table per node count and ends with one line
 * {@code placements_per_second=<int> p99_ms=<x.xxx>} for 5,000 nodes when they were run, else for
 * {@code --nodes}.
 */
@Command(
    name = "BenchMain",
    mixinStandardHelpOptions = true,
    description = "Benchmarks of the cotenant placement engine (JMH).",
    subcommands = {
      BenchMain.Placement.class,
      BenchMain.Profiler.class,
      BenchMain.Learning.class,
      BenchMain.Rebalance.class,
      BenchMain.KubeApi.class
    })
public final class BenchMain implements Runnable {

  static final int HEADLINE_NODES = 5000;

  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchMain()).execute(args));
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  @Command(
      name = "placement",
      mixinStandardHelpOptions = true,
      description =
          "interference-aware on N nodes x 8 P100 with 8N running share pods, steady state:"
              + " placements per second and the latency of one place().")
  static final class Placement implements Callable<Integer> {

    @Option(
        names = "--nodes",
        paramLabel = "N",
        description = "Only this node count (default: 500, 5000 and 50000).")
    Integer nodes;

    @Option(
        names = "--quick",
        description = "1 fork, warmup 1 x 2 s, measurement 2 x 2 s (default: 2 x 5 s, 3 x 5 s).")
    boolean quick;

    @Option(
        names = "--shapes",
        defaultValue = "grid",
        description =
            "grid: gpuMilli 250-500 step 50, gpuMemoryMiB 2048-6144 step 512 (default);"
                + " fine: any unit in those ranges.")
    String shapes;

    @Option(
        names = "--steady",
        defaultValue = "single",
        description =
            "single: one share pod per card, the measured 26 apps (default); shared: 2.5 pods per"
                + " card from 100 apps, shares of 100-500 milli (default nodes 500 and 5000).")
    String steady;

    @Override
    public Integer call() throws RunnerException {
      Path root = SteadyState.root().toAbsolutePath().normalize();
      SteadyState.Sharing sharing;
      try {
        SteadyState.matrixPath(root);
        SteadyState.Shapes.parse(shapes);
        sharing = SteadyState.Sharing.parse(steady);
      } catch (IllegalArgumentException | IllegalStateException e) {
        System.err.println(
            "error: "
                + (e.getMessage().startsWith("No enum constant")
                    ? "--steady must be single or shared, --shapes grid or fine"
                    : e.getMessage()));
        return 2;
      }
      if (nodes != null && nodes < 1) {
        System.err.println("error: --nodes must be >= 1, got " + nodes);
        return 2;
      }
      ChainedOptionsBuilder opts =
          new OptionsBuilder()
              .include("^" + Pattern.quote(PlacementBenchmark.class.getName()) + "\\.")
              .param("shapes", shapes)
              .param("steady", steady.trim().toLowerCase(java.util.Locale.ROOT))
              .jvmArgsAppend("-Dcotenant.root=" + root)
              .forks(1)
              .shouldFailOnError(true);
      if (nodes != null) {
        opts.param("nodes", String.valueOf(nodes));
      } else if (sharing == SteadyState.Sharing.SHARED) {
        // 50,000 nodes would be a million pods placed through the engine before timing starts
        opts.param("nodes", "500", "5000");
      }
      if (quick) {
        opts.warmupIterations(1)
            .warmupTime(TimeValue.seconds(2))
            .measurementIterations(2)
            .measurementTime(TimeValue.seconds(2));
      } else {
        opts.warmupIterations(2)
            .warmupTime(TimeValue.seconds(5))
            .measurementIterations(3)
            .measurementTime(TimeValue.seconds(5));
      }
      Collection<RunResult> results = new Runner(opts.build()).run();
      Map<Integer, Row> rows = rows(results);
      print(rows, sharing, System.out);
      Integer headline = rows.containsKey(HEADLINE_NODES) ? Integer.valueOf(HEADLINE_NODES) : nodes;
      Row h = headline == null ? null : rows.get(headline);
      if (h == null || h.throughput == null || h.latency == null) {
        System.err.println("error: no complete result for " + headline + " nodes");
        return 1;
      }
      System.out.println(headline(h));
      return 0;
    }
  }

  @Command(
      name = "profiler",
      mixinStandardHelpOptions = true,
      description =
          "The profiler's telemetry ingest: N GpuSample CloudEvents through a real in-process"
              + " Kafka broker, consumed with the service's settings and ingest class.")
  static final class Profiler implements Callable<Integer> {

    @Option(
        names = "--events",
        defaultValue = "1000000",
        description = "Events (default 1,000,000).")
    int events;

    @Option(names = "--nodes", defaultValue = "500", description = "Nodes of 8 GPUs (default 500).")
    int nodes;

    @Option(
        names = "--partitions",
        defaultValue = "3",
        description = "Topic partitions (default 3).")
    int partitions;

    @Option(
        names = "--max-poll",
        defaultValue = "2000",
        description = "max.poll.records (default 2000, the service's default).")
    int maxPoll;

    @Override
    public Integer call() throws Exception {
      if (events < 1 || nodes < 1 || partitions < 1 || maxPoll < 1) {
        System.err.println("error: --events, --nodes, --partitions and --max-poll must be >= 1");
        return 2;
      }
      ProfilerIngestBenchmark.Result r =
          new ProfilerIngestBenchmark(events, nodes, partitions, maxPoll, System.out).run();
      System.out.printf(
          Locale.ROOT,
          "# consumed and ingested %,d events in %.2f s: %,d solo, %,d shared, %,d stale,"
              + " %,d rejected%n",
          r.events(),
          r.seconds(),
          r.solo(),
          r.shared(),
          r.stale(),
          r.rejected());
      System.out.println(r.headline());
      return 0;
    }
  }

  @Command(
      name = "learning",
      mixinStandardHelpOptions = true,
      description =
          "What the interference learner costs: one observation into a model of 26 or 100 apps"
              + " that has seen 1,000 runs (microseconds), and a refit of its predictor"
              + " (milliseconds).")
  static final class Learning implements Callable<Integer> {
    @Override
    public Integer call() throws RunnerException {
      return runAndPrint(LearningBenchmark.class, "apps");
    }
  }

  @Command(
      name = "rebalance",
      mixinStandardHelpOptions = true,
      description =
          "What one rebalancing round (at most 8 pods moved) costs, in milliseconds, on 500 and"
              + " 5,000 nodes x 8 P100 with every card shared by two pods.")
  static final class Rebalance implements Callable<Integer> {
    @Override
    public Integer call() throws RunnerException {
      return runAndPrint(RebalanceBenchmark.class, "nodes");
    }
  }

  /**
   * Runs every benchmark of {@code benchmark}; one line per benchmark and value of {@code param}.
   */
  static int runAndPrint(Class<?> benchmark, String param) throws RunnerException {
    Collection<RunResult> results =
        new Runner(
                new OptionsBuilder()
                    .include("^" + Pattern.quote(benchmark.getName()) + "\\.")
                    .shouldFailOnError(true)
                    .build())
            .run();
    System.out.println();
    for (RunResult r : results) {
      Result<?> primary = r.getPrimaryResult();
      String bench = r.getParams().getBenchmark();
      System.out.printf(
          Locale.ROOT,
          "%s %s=%s: %.3f %s%n",
          bench.substring(bench.lastIndexOf('.') + 1),
          param,
          r.getParams().getParam(param),
          primary.getScore(),
          primary.getScoreUnit());
    }
    return 0;
  }

  /** The results of one node count. */
  static final class Row {
    final int nodes;
    Result<?> throughput;
    Result<?> latency;

    Row(int nodes) {
      this.nodes = nodes;
    }

    double placementsPerSecond() {
      return perSecond(throughput);
    }

    double latencyMs(double percentile) {
      return toMs(latency.getStatistics().getPercentile(percentile), latency.getScoreUnit());
    }
  }

  static Map<Integer, Row> rows(Collection<RunResult> results) {
    Map<Integer, Row> rows = new TreeMap<>();
    for (RunResult r : results) {
      int n = Integer.parseInt(r.getParams().getParam("nodes"));
      Row row = rows.computeIfAbsent(n, Row::new);
      String bench = r.getParams().getBenchmark();
      if (bench.endsWith(".steadyState")) {
        row.throughput = r.getPrimaryResult();
      } else if (bench.endsWith(".placeDecision")) {
        row.latency = r.getPrimaryResult();
      }
    }
    return rows;
  }

  static void print(Map<Integer, Row> rows, SteadyState.Sharing sharing, PrintStream out) {
    out.println();
    out.println(
        "interference-aware, "
            + sharing.name().toLowerCase(Locale.ROOT)
            + " steady state, single thread (place() latency in ms)");
    String fmt = "%8s %9s %14s %10s %8s %8s %8s %8s %8s %8s%n";
    out.printf(
        Locale.ROOT,
        fmt,
        "nodes",
        "pods",
        "placements/s",
        "+-",
        "mean",
        "p50",
        "p90",
        "p99",
        "p99.9",
        "max");
    for (Row r : rows.values()) {
      List<String> cells = new ArrayList<>();
      cells.add(String.valueOf(r.nodes));
      cells.add(String.valueOf(SteadyState.runningPods(r.nodes, sharing)));
      if (r.throughput != null) {
        cells.add(String.format(Locale.ROOT, "%.0f", r.placementsPerSecond()));
        cells.add(
            Double.isNaN(r.throughput.getScoreError())
                ? "n/a"
                : String.format(
                    Locale.ROOT,
                    "%.0f",
                    r.throughput.getScoreError() * perSecond(r.throughput) / score(r.throughput)));
      } else {
        cells.add("-");
        cells.add("-");
      }
      if (r.latency != null) {
        Statistics s = r.latency.getStatistics();
        cells.add(ms(toMs(s.getMean(), r.latency.getScoreUnit())));
        for (double p : new double[] {50, 90, 99, 99.9}) {
          cells.add(ms(r.latencyMs(p)));
        }
        cells.add(ms(toMs(s.getMax(), r.latency.getScoreUnit())));
      } else {
        for (int i = 0; i < 6; i++) {
          cells.add("-");
        }
      }
      out.printf(Locale.ROOT, fmt, cells.toArray());
    }
    out.println();
  }

  static String headline(Row r) {
    return String.format(
        Locale.ROOT,
        "placements_per_second=%d p99_ms=%.3f",
        Math.round(r.placementsPerSecond()),
        r.latencyMs(99));
  }

  private static double score(Result<?> r) {
    return r.getScore();
  }

  private static String ms(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }

  /** A throughput score in operations per second, whatever unit JMH reports it in. */
  static double perSecond(Result<?> r) {
    String unit = r.getScoreUnit();
    double v = r.getScore();
    return switch (unit) {
      case "ops/s" -> v;
      case "ops/ms" -> v * 1e3;
      case "ops/us" -> v * 1e6;
      case "ops/ns" -> v * 1e9;
      case "ops/min" -> v / 60;
      default -> throw new IllegalStateException("unexpected throughput unit " + unit);
    };
  }

  /** A time per operation in milliseconds. */
  static double toMs(double v, String unit) {
    return switch (unit) {
      case "s/op" -> v * 1e3;
      case "ms/op" -> v;
      case "us/op" -> v / 1e3;
      case "ns/op" -> v / 1e6;
      default -> throw new IllegalStateException("unexpected time unit " + unit);
    };
  }

  @Command(
      name = "kube-api",
      mixinStandardHelpOptions = true,
      description =
          "The embedded Kubernetes API: pods created, bound, given three statuses and deleted"
              + " under W pod watches; pods/s and CPU per pod (process and busiest threads).")
  static final class KubeApi implements Callable<Integer> {
    @Option(
        names = "--nodes",
        defaultValue = "100",
        description = "Nodes registered (default 100).")
    int nodes;

    @Option(
        names = "--watchers",
        defaultValue = "3",
        description = "Pod watches (default 3: placement, monitor, kubelets).")
    int watchers;

    @Option(names = "--warmup", defaultValue = "5000", description = "Pods before measuring.")
    int warmup;

    @Option(names = "--pods", defaultValue = "10000", description = "Pods measured.")
    int pods;

    @Option(names = "--concurrency", defaultValue = "32", description = "Pods in flight.")
    int concurrency;

    @Override
    public Integer call() throws Exception {
      for (var check :
          List.of(
              Map.entry("--nodes", nodes),
              Map.entry("--pods", pods),
              Map.entry("--concurrency", concurrency))) {
        if (check.getValue() < 1) {
          System.err.println("error: " + check.getKey() + " must be >= 1, got " + check.getValue());
          return 2;
        }
      }
      if (watchers < 0 || warmup < 0) {
        System.err.println("error: --watchers and --warmup must be >= 0");
        return 2;
      }
      KubeApiBenchmark.Result r = KubeApiBenchmark.run(nodes, watchers, warmup, pods, concurrency);
      System.out.printf(
          "kube-api: %d pods in %.1f s = %.0f pods/s (6 writes each, %d watchers);"
              + " process CPU %.3f ms/pod; busiest: %s%n",
          r.pods(),
          r.seconds(),
          r.podsPerSecond(),
          watchers,
          r.processCpuMsPerPod(),
          String.join(", ", r.busiest()));
      return 0;
    }
  }
}
