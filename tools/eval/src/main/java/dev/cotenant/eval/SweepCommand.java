package dev.cotenant.eval;

import dev.cotenant.eval.EvalCommand.Knowledge;
import dev.cotenant.eval.RunTimes.Durations;
import dev.cotenant.placement.plugins.Policies;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cotenant eval sweep}: every policy over a grid of regimes, seeds 11–20 by default. */
@Command(
    name = "sweep",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the oblivious policies and interference-aware over a grid: device (gavel-p100,"
          + " gavel-k80) x load x durations x knowledge x seeds; prints per cell each policy's"
          + " mean JCT over seeds and interference-aware's gain over the best oblivious policy"
          + " (mean ± sd over seeds), and learned against oracle knowledge; writes sweep.json"
          + " and heatmaps (SVG), using every core."
    })
public final class SweepCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--devices",
      split = ",",
      defaultValue = "p100,k80",
      description = "gavel devices: p100, k80 (default: ${DEFAULT-VALUE})")
  List<String> devices;

  @Option(
      names = "--loads",
      split = ",",
      defaultValue = "0.6,1.0,1.5,2.0",
      description = "jobs in the system per card (default: ${DEFAULT-VALUE})")
  List<Double> loads;

  @Option(
      names = "--durations",
      split = ",",
      defaultValue = "work,unknown",
      description = "what interference-aware is told of run times (default: ${DEFAULT-VALUE})")
  List<Durations> durations;

  @Option(
      names = "--knowledge",
      split = ",",
      defaultValue = "oracle,learned",
      description = "what interference-aware knows of interference (default: ${DEFAULT-VALUE})")
  List<Knowledge> knowledge;

  @Option(
      names = "--seeds",
      defaultValue = "11-20",
      description =
          "seeds, a range A-B or a comma list (default: ${DEFAULT-VALUE}: 1-10 are for tuning)")
  String seeds;

  @Option(
      names = "--oblivious",
      split = ",",
      defaultValue = "binpack,spread,loadbalance,standalone",
      description = "the policies interference-aware is compared with (default: ${DEFAULT-VALUE})")
  List<String> oblivious;

  @Option(names = "--noise", defaultValue = "0.05", description = "run-to-run noise σ")
  double noise;

  @Option(
      names = "--threads",
      description = "runs at once (default: one per core)",
      defaultValue = "0")
  int threads;

  @Option(names = "--out", paramLabel = "DIR", description = "write sweep.json and SVG heatmaps")
  Path out;

  @Override
  public Integer call() throws IOException, InterruptedException {
    PrintWriter w = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Sweep sweep;
    try {
      sweep = new Sweep(devices, loads, durations, knowledge, seeds(seeds), oblivious);
      validate();
    } catch (IllegalArgumentException e) {
      err.println("cotenant eval sweep: " + e.getMessage());
      return EvalCommand.BAD_INPUT;
    }
    List<Sweep.Run> runs = sweep.runs();
    int workers = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    w.printf(
        "sweep: %d cells, %d runs, %d at once, noise %s%n",
        sweep.cells().size(), runs.size(), workers, noise);
    w.flush();
    long t0 = System.nanoTime();
    Map<Sweep.Run, Double> meanJct = run(runs, workers, err);
    double minutes = (System.nanoTime() - t0) / 60e9;
    List<Sweep.CellResult> results = sweep.results(meanJct);
    print(w, sweep, results);
    w.printf("%n%d runs in %.1f min%n", runs.size(), minutes);
    if (out != null) {
      Files.createDirectories(out);
      write(sweep, results, out);
      w.printf("wrote %s, gain.svg, jct-POLICY.svg%n", out.resolve("sweep.json"));
    }
    w.flush();
    return 0;
  }

  private void validate() {
    for (String d : devices) {
      if (!Scenario.NAMES.contains("gavel-" + d)) {
        throw new IllegalArgumentException("--devices: unknown device '" + d + "' (p100, k80)");
      }
    }
    for (double l : loads) {
      if (!(l > 0) || l > 10) {
        throw new IllegalArgumentException("--loads: each must be within (0, 10], got " + l);
      }
    }
    var available = Policies.builtIn(Policies.defaultRegistry()).keySet();
    for (String p : oblivious) {
      if (!available.contains(p) || p.equals(Sweep.AWARE)) {
        throw new IllegalArgumentException("--oblivious: not an oblivious policy: '" + p + "'");
      }
    }
    EvalCommand.checkNoise(noise);
    if (threads < 0) {
      throw new IllegalArgumentException("--threads must be 0 (one per core) or more");
    }
  }

  /** {@code A-B} or {@code a,b,c}. */
  static List<Long> seeds(String text) {
    List<Long> out = new ArrayList<>();
    try {
      for (String part : text.split(",")) {
        String p = part.strip();
        int dash = p.indexOf('-', 1);
        if (dash > 0) {
          long from = Long.parseLong(p.substring(0, dash).strip());
          long to = Long.parseLong(p.substring(dash + 1).strip());
          if (to < from || to - from > 1000) {
            throw new IllegalArgumentException("--seeds: bad range '" + p + "'");
          }
          for (long s = from; s <= to; s++) {
            out.add(s);
          }
        } else {
          out.add(Long.parseLong(p));
        }
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--seeds: expected A-B or a comma list of integers, got '" + text + "'");
    }
    if (out.stream().distinct().count() != out.size()) {
      throw new IllegalArgumentException("--seeds: a seed is listed twice in '" + text + "'");
    }
    return out;
  }

  private Map<Sweep.Run, Double> run(List<Sweep.Run> runs, int workers, PrintWriter err)
      throws InterruptedException {
    Map<Sweep.Run, Double> meanJct = new ConcurrentHashMap<>();
    AtomicInteger done = new AtomicInteger();
    Progress progress = new Progress(err, "sweep");
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (Sweep.Run r : runs) {
        futures.add(
            pool.submit(
                () -> {
                  meanJct.put(r, one(r));
                  int n = done.incrementAndGet();
                  synchronized (progress) {
                    progress.update(n / (double) runs.size());
                  }
                }));
      }
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (ExecutionException e) {
          throw new IllegalStateException("a sweep run failed: " + e.getCause(), e.getCause());
        }
      }
    } finally {
      pool.shutdownNow();
      progress.done();
    }
    return meanJct;
  }

  private double one(Sweep.Run r) {
    Sweep.Cell c = r.cell();
    Scenario s = Scenario.named(c.regime().scenario(), r.seed(), c.regime().load());
    EvalRunner.Setup setup =
        EvalCommand.setup(s, c.knowledge(), c.durations(), noise, r.seed(), true, true);
    return EvalRunner.run(setup, r.policy(), fraction -> {}).meanJctSeconds();
  }

  private static void print(PrintWriter w, Sweep sweep, List<Sweep.CellResult> results) {
    List<String> policies = new ArrayList<>(sweep.oblivious());
    policies.add(Sweep.AWARE);
    w.printf("%n%-6s %5s %-8s %-8s", "device", "load", "durations", "knowledge");
    for (String p : policies) {
      w.printf(" %19s", p);
    }
    w.printf(" %-12s %16s %14s%n", "best_oblivious", "gain_%", "learned_vs_oracle");
    for (Sweep.CellResult r : results) {
      Sweep.Cell c = r.cell();
      w.printf(
          "%-6s %5.1f %-9s %-8s",
          c.regime().device(), c.regime().load(), c.durations(), c.knowledge());
      for (String p : policies) {
        w.printf(" %11.0f ± %5.0f", r.meanJct().get(p), r.meanJctSd().get(p));
      }
      OptionalDouble vsOracle =
          c.knowledge() == Knowledge.learned
              ? Sweep.learnedOverOracle(results, c)
              : OptionalDouble.empty();
      w.printf(
          " %-14s %+7.1f ± %5.1f %14s%n",
          r.bestOblivious(),
          r.gainPercent(),
          r.gainPercentSd(),
          vsOracle.isPresent() ? String.format("%+.1f%%", vsOracle.getAsDouble()) : "");
    }
    long worse = results.stream().filter(r -> r.gainPercent() < 0).count();
    w.printf(
        "%ninterference-aware worse than the best oblivious policy in %d of %d cells%n",
        worse, results.size());
  }

  private void write(Sweep sweep, List<Sweep.CellResult> results, Path dir) throws IOException {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Sweep.CellResult r : results) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("device", r.cell().regime().device());
      row.put("load", r.cell().regime().load());
      row.put("durations", r.cell().durations().name());
      row.put("knowledge", r.cell().knowledge().name());
      row.put("meanJctSeconds", r.meanJct());
      row.put("meanJctSecondsSd", r.meanJctSd());
      row.put("bestOblivious", r.bestOblivious());
      row.put("gainPercent", r.gainPercent());
      row.put("gainPercentSd", r.gainPercentSd());
      if (r.cell().knowledge() == Knowledge.learned) {
        Sweep.learnedOverOracle(results, r.cell())
            .ifPresent(v -> row.put("learnedOverOraclePercent", v));
      }
      rows.add(row);
    }
    EvalCommand.writePretty(rows, dir.resolve("sweep.json"));
    List<String> columns = new ArrayList<>();
    for (Double l : loads) {
      columns.add("load " + l);
    }
    heatmap(
        results,
        columns,
        r -> r.gainPercent(),
        true,
        "%+.1f",
        "interference-aware's mean JCT gain over the best oblivious policy (%), seeds " + seeds,
        dir.resolve("gain.svg"));
    List<String> policies = new ArrayList<>(sweep.oblivious());
    policies.add(Sweep.AWARE);
    for (String p : policies) {
      heatmap(
          results,
          columns,
          r -> r.meanJct().get(p),
          false,
          "%.0f",
          p + ": mean JCT (s) over seeds " + seeds,
          dir.resolve("jct-" + p + ".svg"));
    }
  }

  /** Rows: device × durations × knowledge; columns: load. */
  private void heatmap(
      List<Sweep.CellResult> results,
      List<String> columns,
      java.util.function.ToDoubleFunction<Sweep.CellResult> value,
      boolean diverging,
      String format,
      String title,
      Path file)
      throws IOException {
    List<String> rowLabels = new ArrayList<>();
    Map<String, double[]> grid = new LinkedHashMap<>();
    for (Sweep.CellResult r : results) {
      Sweep.Cell c = r.cell();
      String label = c.regime().device() + " " + c.durations() + " " + c.knowledge();
      if (!grid.containsKey(label)) {
        rowLabels.add(label);
        grid.put(label, new double[loads.size()]);
      }
      grid.get(label)[loads.indexOf(c.regime().load())] = value.applyAsDouble(r);
    }
    double[][] values = rowLabels.stream().map(grid::get).toArray(double[][]::new);
    Charts.heatmap(title, rowLabels, columns, values, diverging, format, file);
  }
}
