package dev.cotenant.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.cotenant.eval.scenario.Seed001;
import dev.cotenant.eval.scenario.Seed001Calibration;
import dev.cotenant.interference.FileFormatException;
import dev.cotenant.interference.InterferenceFile;
import dev.cotenant.interference.InterferenceMatrix;
import dev.cotenant.interference.InterferenceModel;
import dev.cotenant.interference.MatrixModel;
import dev.cotenant.interference.learn.LearnedModel;
import dev.cotenant.placement.EngineConfig;
import dev.cotenant.placement.EngineConfig.Rebalancing;
import dev.cotenant.placement.plugins.Policies;
import dev.cotenant.sim.SimConfig;
import dev.cotenant.sim.cluster.ClusterCsv;
import dev.cotenant.sim.workload.WorkloadCsv;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jfree.data.xy.XYSeries;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cotenant eval}: every policy through the same engine and simulator, in virtual time. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    subcommands = {InterferenceEvalCommand.class, FillCommand.class, SweepCommand.class},
    description = {
      "Runs placement policies through the placement engine and the cluster simulator in virtual"
          + " time and prints, per policy: makespan, mean and p95 job completion time, mean"
          + " slowdown, GPU utilisation, share of GPUs left unallocatable, mean queueing delay and"
          + " decisions/s.",
      "Give a scenario (seed001, seed000, gavel-p100, gavel-k80) or --cluster, --workload and"
          + " --interference."
    })
public final class EvalCommand implements Callable<Integer> {

  /** Exit code for bad input files and options, as picocli uses for usage errors. */
  public static final int BAD_INPUT = 2;

  @Spec CommandSpec spec;

  @Option(
      names = "--scenario",
      description = "a shipped scenario: seed001, seed000, gavel-p100, gavel-k80")
  String scenario;

  @Option(names = "--cluster", paramLabel = "C.csv", description = "cluster file")
  Path cluster;

  @Option(names = "--workload", paramLabel = "W.csv", description = "workload file")
  Path workload;

  @Option(names = "--interference", paramLabel = "I.json", description = "ground-truth file")
  Path interference;

  @Option(
      names = "--policies",
      split = ",",
      paramLabel = "a,b,c",
      description = "policies to compare (default: the scenario's, or all)")
  List<String> policies;

  @Option(
      names = "--knowledge",
      defaultValue = "oracle",
      description =
          "what the engine knows: oracle (the ground truth), none, or learned (starts empty and"
              + " learns from every pod that ends) (default: ${DEFAULT-VALUE})")
  Knowledge knowledge;

  @Option(
      names = "--durations",
      defaultValue = "work",
      description =
          "what the engine is told of run times: work (each job declares its work; with its app's"
              + " solo rate that gives an estimate), unknown (nothing: history of finished runs),"
              + " or exact (the simulator's true run times: an upper bound no scheduler has)"
              + " (default: ${DEFAULT-VALUE})")
  RunTimes.Durations durations;

  @Option(
      names = "--noise",
      paramLabel = "SIGMA",
      defaultValue = "0.05",
      description =
          "run-to-run noise: each pod's solo rate times exp(SIGMA·Z), Z standard normal, drawn"
              + " from the seed per pod (0: runs follow the ground truth exactly)"
              + " (default: ${DEFAULT-VALUE})")
  double noise;

  @Option(names = "--seed", defaultValue = "1", description = "random seed of generated workloads")
  long seed;

  @Option(
      names = "--load",
      defaultValue = "1.5",
      description =
          "gavel-p100, gavel-k80: jobs in the system per card on average (default: ${DEFAULT-VALUE})")
  double load;

  @Option(
      names = "--migration",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "let interference-aware move running pods of checkpointable jobs (gavel-p100) to better"
              + " co-tenants (default); --no-migration places only")
  boolean migration;

  @Option(
      names = "--migration-seconds",
      paramLabel = "S",
      description =
          "checkpoint and restore seconds a moved pod pays besides its start (gavel-p100: "
              + Scenario.GAVEL_CHECKPOINT_SECONDS
              + ")")
  Double migrationSeconds;

  @Option(names = "--out", paramLabel = "DIR", description = "write results.json and SVG charts")
  Path out;

  @Option(
      names = "--no-gang",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description = "place a job's replicas as a gang (default) or one by one (--no-gang)")
  boolean gang;

  @Option(
      names = "--pod-start-seconds",
      defaultValue = "0",
      description = "simulated start time per pod for file inputs (default: ${DEFAULT-VALUE})")
  double podStartSeconds;

  @Option(
      names = "--parallel-starts",
      defaultValue = "2147483647",
      description = "pods a node starts at once for file inputs")
  int parallelStarts;

  public enum Knowledge {
    oracle,
    none,
    learned
  }

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    System.exit(new CommandLine(new EvalCommand()).execute(args));
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter w = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Scenario s;
    try {
      checkNoise(noise);
      s = scenario();
    } catch (FileFormatException | IllegalArgumentException | UncheckedIOException e) {
      err.println("cotenant eval: " + e.getMessage());
      return BAD_INPUT;
    }
    if (s.name().equals("seed000")) {
      return seed000(w);
    }
    List<String> chosen = policies != null ? policies : s.policies();
    EvalRunner.Setup setup = setup(s, knowledge, durations, noise, seed, migration, gang);
    var available = Policies.builtIn(Policies.defaultRegistry()).keySet();
    for (String p : chosen) {
      if (!available.contains(p)) {
        err.println(
            "cotenant eval: --policies: unknown policy '"
                + p
                + "'; the policies are "
                + String.join(", ", new java.util.TreeSet<>(available)));
        return BAD_INPUT;
      }
    }
    w.printf("scenario %s: %s%n", s.name(), s.description());
    w.printf(
        "%d nodes, %d GPUs, %d jobs, knowledge %s, durations %s%s, noise %s%n%n",
        s.cluster().size(),
        s.cluster().stream().mapToInt(n -> n.numGpu()).sum(),
        s.workload().size(),
        knowledge,
        durations,
        durations == RunTimes.Durations.exact ? " (the true run times: an upper bound)" : "",
        noise);
    List<PolicyResult> results = new ArrayList<>();
    if (out != null) {
      Files.createDirectories(out);
    }
    for (String p : chosen) {
      Progress progress = new Progress(err, p);
      try (DecisionLog log = DecisionLog.open(out, p)) {
        results.add(EvalRunner.run(setup, p, progress::update, log));
      }
      progress.done();
    }
    printTable(w, results);
    if (knowledge == Knowledge.learned) {
      learningAgainstOracle(w, err, setup, results);
    }
    if (s.name().equals("seed001")) {
      seed001Details(w, s, results);
    }
    if (out != null) {
      Files.createDirectories(out);
      writeJson(results, out.resolve("results.json"));
      Charts.write(results, out);
      w.printf(
          "%nwrote %s, policies.svg, jct-cdf.svg, decisions-POLICY.jsonl%n",
          out.resolve("results.json"));
    }
    w.flush();
    return 0;
  }

  /** The run-to-run noise the simulator accepts, for every command that sets it. */
  static void checkNoise(double noise) {
    if (!(noise >= 0) || noise > 2) {
      throw new IllegalArgumentException("--noise must be within [0, 2], got " + noise);
    }
  }

  /**
   * What one run of a scenario needs: the engine told {@code durations} of run times and knowing
   * {@code knowledge} of interference, the simulator's runs varied by {@code noise}.
   */
  static EvalRunner.Setup setup(
      Scenario s,
      Knowledge knowledge,
      RunTimes.Durations durations,
      double noise,
      long seed,
      boolean migration,
      boolean gang) {
    EngineConfig engineConfig =
        migration ? s.engineConfig() : s.engineConfig().withRebalancing(Rebalancing.OFF);
    MatrixModel truth = new MatrixModel(s.truth());
    java.util.function.Supplier<InterferenceModel> known =
        switch (knowledge) {
          case oracle -> () -> truth;
          case none -> MatrixModel::empty;
          case learned -> LearnedModel::new;
        };
    return new EvalRunner.Setup(
        s.cluster(),
        s.workload(),
        truth,
        known,
        s.sim().withNoise(noise, seed),
        engineConfig,
        s.jobOverheadSeconds(),
        gang,
        durations);
  }

  /** The learned run of interference-aware against the same policy with the oracle. */
  private void learningAgainstOracle(
      PrintWriter w, PrintWriter err, EvalRunner.Setup learnedSetup, List<PolicyResult> results)
      throws IOException {
    String policy = "interference-aware";
    PolicyResult learned =
        results.stream().filter(r -> r.policy().equals(policy)).findFirst().orElse(null);
    if (learned == null) {
      return;
    }
    EvalRunner.Setup oracleSetup = learnedSetup.withKnowledge(learnedSetup::truth);
    Progress progress = new Progress(err, policy + " (oracle)");
    PolicyResult oracle = EvalRunner.run(oracleSetup, policy, progress::update);
    progress.done();
    w.printf(
        "%n%s learned from an empty model: mean JCT %.0f s; with the oracle %.0f s (%+.1f%%)%n",
        policy,
        learned.meanJctSeconds(),
        oracle.meanJctSeconds(),
        100 * (learned.meanJctSeconds() / oracle.meanJctSeconds() - 1));
    List<Learning.Window> curve = Learning.curve(oracle, learned, 8);
    w.printf("%-12s %12s %12s %10s%n", "jobs", "oracle_jct", "learned_jct", "regret_s");
    XYSeries oracleSeries = new XYSeries("oracle");
    XYSeries learnedSeries = new XYSeries("learned");
    XYSeries regret = new XYSeries("regret (learned - oracle)");
    for (Learning.Window win : curve) {
      w.printf(
          "%-12s %12.0f %12.0f %10.0f%n",
          win.fromJob() + "-" + (win.toJob() - 1),
          win.oracleMeanJct(),
          win.learnedMeanJct(),
          win.regretSeconds());
      double middle = (win.fromJob() + win.toJob()) / 2.0;
      oracleSeries.add(middle, win.oracleMeanJct());
      learnedSeries.add(middle, win.learnedMeanJct());
      regret.add(middle, win.regretSeconds());
    }
    if (out != null) {
      Charts.lines(
          "Learning: mean JCT per window of jobs, " + policy,
          "jobs in submission order",
          "mean JCT (s)",
          List.of(oracleSeries, learnedSeries, regret),
          out.resolve("learning.svg"));
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("policy", policy);
      json.put("learnedMeanJctSeconds", learned.meanJctSeconds());
      json.put("oracleMeanJctSeconds", oracle.meanJctSeconds());
      json.put("windows", curve);
      writePretty(json, out.resolve("learning.json"));
      w.printf("wrote learning.json and learning.svg%n");
    }
  }

  private Scenario scenario() {
    if (scenario != null) {
      if (cluster != null || workload != null || interference != null) {
        throw new IllegalArgumentException(
            "--scenario cannot be combined with --cluster, --workload or --interference");
      }
      Scenario named = Scenario.named(scenario, seed, load);
      return migrationSeconds == null ? named : named.withMigrationSeconds(migrationSeconds);
    }
    List<String> missing = new ArrayList<>();
    if (cluster == null) missing.add("--cluster");
    if (workload == null) missing.add("--workload");
    if (interference == null) missing.add("--interference");
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          "missing " + String.join(", ", missing) + " (or give --scenario NAME)");
    }
    for (Path p : List.of(cluster, workload, interference)) {
      if (!Files.isReadable(p)) {
        throw new IllegalArgumentException("cannot read " + p);
      }
    }
    InterferenceMatrix truth = InterferenceFile.read(interference);
    Scenario files =
        new Scenario(
            "files",
            cluster + ", " + workload + ", " + interference,
            ClusterCsv.read(cluster),
            WorkloadCsv.read(workload),
            truth,
            new SimConfig(podStartSeconds, parallelStarts),
            0,
            List.of("binpack", "spread", "loadbalance", "standalone", "interference-aware"));
    return migrationSeconds == null ? files : files.withMigrationSeconds(migrationSeconds);
  }

  static void printTable(PrintWriter w, List<PolicyResult> results) {
    w.printf(
        "%-20s %10s %10s %10s %9s %8s %9s %10s %8s %12s %6s%n",
        "policy",
        "makespan_s",
        "mean_jct_s",
        "p95_jct_s",
        "slowdown",
        "gpu_util",
        "unalloc",
        "mean_queue",
        "failed",
        "decisions/s",
        "moved");
    for (PolicyResult r : results) {
      w.printf(
          "%-20s %10.0f %10.0f %10.0f %9.3f %8.3f %9.3f %10.0f %8d %12.0f %6d%n",
          r.policy(),
          r.makespanSeconds(),
          r.meanJctSeconds(),
          r.p95JctSeconds(),
          r.meanSlowdown(),
          r.gpuUtilization(),
          r.unallocatableGpuShare(),
          r.meanQueueSeconds(),
          r.failedJobs() + r.neverPlacedJobs(),
          r.decisionsPerSecond(),
          r.migrations());
    }
  }

  private void seed001Details(PrintWriter w, Scenario s, List<PolicyResult> results) {
    w.printf("%nplacements (container -> card):%n");
    for (PolicyResult r : results) {
      Map<String, String> cards = new LinkedHashMap<>();
      for (var j : r.jobResults()) {
        cards.put(j.name(), j.placement().replace(Seed001.NODE.name() + "/", ""));
      }
      w.printf("  %-20s %s%n", r.policy(), cards);
    }
    Map<String, Double> solo = new LinkedHashMap<>();
    s.workload().forEach(j -> solo.put(j.app(), j.soloDurationSeconds()));
    List<Seed001.Cell> cells = Seed001.compare(s.truth(), solo, Seed001Calibration.table4());
    w.printf("%ncalibration against Table 4 (seconds; simulated with the seed's placements):%n");
    for (Seed001.Cell c : cells) {
      w.printf(
          "  %-12s %-3s measured %6.0f simulated %7.1f  error %5.1f%%%n",
          c.placement(), c.container(), c.measured(), c.simulated(), c.absolutePercentageError());
    }
    w.printf(
        "  mean absolute percentage error %.2f%%%n", Seed001.meanAbsolutePercentageError(cells));
  }

  private int seed000(PrintWriter w) throws IOException {
    w.println("scenario seed000: one CPU job fanned out into N containers, 10-core worker");
    w.printf(
        "%-10s %10s %12s %8s %10s%n", "containers", "measured_s", "per_pod_s", "error", "gang_s");
    List<Seed000.Point> curve = Seed000.curve(30);
    XYSeries measured = new XYSeries("measured (seed 000)");
    XYSeries perPod = new XYSeries("simulated, pods one by one");
    XYSeries gangSeries = new XYSeries("simulated, gang");
    for (Seed000.Point p : curve) {
      String error =
          Double.isNaN(p.measured())
              ? ""
              : String.format("%.1f%%", 100 * Math.abs(p.perPod() - p.measured()) / p.measured());
      w.printf(
          "%-10d %10s %12.1f %8s %10s%n",
          p.containers(),
          Double.isNaN(p.measured()) ? "" : String.format("%.0f", p.measured()),
          p.perPod(),
          error,
          Double.isFinite(p.gang()) ? String.format("%.1f", p.gang()) : "never fits");
      if (!Double.isNaN(p.measured())) {
        measured.add(p.containers(), p.measured());
      }
      perPod.add(p.containers(), p.perPod());
      if (Double.isFinite(p.gang())) {
        gangSeries.add(p.containers(), p.gang());
      }
    }
    Seed000.AutoResult auto = Seed000.auto(30);
    w.printf("auto (max 30): chose %d containers, %.1f s%n", auto.replicas(), auto.seconds());
    if (out != null) {
      Files.createDirectories(out);
      Charts.lines(
          "Seed 000: pipeline time against containers",
          "containers",
          "seconds",
          List.of(measured, perPod, gangSeries),
          out.resolve("seed000.svg"));
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("curve", curve);
      json.put("auto", auto);
      writePretty(json, out.resolve("seed000.json"));
      w.printf("wrote %s and seed000.svg%n", out.resolve("seed000.json"));
    }
    w.flush();
    return 0;
  }

  /** Indented JSON, the form every file eval writes takes. */
  static void writePretty(Object value, Path file) throws IOException {
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), value);
  }

  static void writeJson(List<PolicyResult> results, Path file) throws IOException {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (PolicyResult r : results) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("policy", r.policy());
      row.put("makespanSeconds", r.makespanSeconds());
      row.put("meanJctSeconds", r.meanJctSeconds());
      row.put("p95JctSeconds", r.p95JctSeconds());
      row.put("meanSlowdown", r.meanSlowdown());
      row.put("gpuUtilization", r.gpuUtilization());
      row.put("unallocatableGpuShare", r.unallocatableGpuShare());
      row.put("meanQueueSeconds", r.meanQueueSeconds());
      row.put("decisionsPerSecond", r.decisionsPerSecond());
      row.put("migrations", r.migrations());
      row.put("jobs", r.jobs());
      row.put("succeededJobs", r.succeededJobs());
      row.put("failedJobs", r.failedJobs());
      row.put("neverPlacedJobs", r.neverPlacedJobs());
      rows.add(row);
    }
    writePretty(rows, file);
  }
}
