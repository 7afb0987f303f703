package dev.cotenant.eval;

import dev.cotenant.eval.fill.FillExperiment;
import dev.cotenant.eval.fill.OpenbCsv;
import dev.cotenant.eval.fill.ProjectFiles;
import dev.cotenant.fragmentation.FillRun;
import dev.cotenant.fragmentation.NodeCapacity;
import dev.cotenant.fragmentation.PodRequest;
import dev.cotenant.fragmentation.policy.Baselines;
import dev.cotenant.interference.FileFormatException;
import dev.cotenant.placement.EngineConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.LongStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cotenant eval fill}: FGD's fill protocol, every policy on the same arrivals per seed. */
@Command(
    name = "fill",
    mixinStandardHelpOptions = true,
    description = {
      "Fills an empty cluster with a trace's pods in a random order per seed, then with pods"
          + " sampled from it until the GPU they request reaches --inflate times the GPU capacity;"
          + " pods never leave and a pod that fits nowhere is dropped (the protocol of FGD, ATC"
          + " '23). Prints the unallocated share of GPU capacity at 90/95/100/110/120%% arrived"
          + " demand per policy, mean ± sd over seeds.",
      "Give --scenario openb (Alibaba's trace, shipped with tools/eval), --nodes and --pods in the"
          + " openb format, or --cluster and --workload in the project's formats."
    })
public final class FillCommand implements Callable<Integer> {

  /** The openb figures FGD publishes: unallocated percent at 100% arrived, mean of 10 seeds. */
  static final Map<String, Double> PUBLISHED =
      Map.of(
          "random", 13.70,
          "dot-product", 9.38,
          "gpu-clustering", 8.35,
          "gpu-packing", 8.22,
          "best-fit", 7.14,
          "fgd", 4.77);

  static final String OPENB = "openb";

  /** The fill baselines, then the engine's default policy run through the engine. */
  static final List<String> DEFAULT_POLICIES = defaultPolicies();

  private static List<String> defaultPolicies() {
    List<String> all = new ArrayList<>(Baselines.names());
    all.add(EngineConfig.defaults().defaultPolicy());
    return List.copyOf(all);
  }

  @Spec CommandSpec spec;

  @Option(names = "--scenario", description = "a shipped scenario: openb")
  String scenario;

  @Option(names = "--nodes", paramLabel = "N.csv", description = "openb node list")
  Path nodes;

  @Option(names = "--pods", paramLabel = "P.csv", description = "openb pod list")
  Path pods;

  @Option(names = "--cluster", paramLabel = "C.csv", description = "cluster file")
  Path cluster;

  @Option(names = "--workload", paramLabel = "W.csv", description = "workload file")
  Path workload;

  @Option(
      names = "--policies",
      split = ",",
      paramLabel = "a,b,c",
      description =
          "policies to compare (default: random, dot-product, gpu-clustering, gpu-packing,"
              + " best-fit, fgd, fgd-recent, and interference-aware through the placement engine;"
              + " the engine's binpack, spread, loadbalance, standalone run on request)")
  List<String> policies;

  @Option(
      names = "--seeds",
      defaultValue = "10",
      description = "seeds 1..N, each its own arrival order (default: ${DEFAULT-VALUE})")
  int seeds;

  @Option(
      names = "--inflate",
      defaultValue = "1.3",
      description = "sample pods until the GPU requested is this times capacity (default: 1.3)")
  double inflate;

  @Option(
      names = "--ties",
      defaultValue = "first",
      description =
          "among nodes of the best score: first (in node order, as FGD's simulator) or random (as"
              + " upstream kube-scheduler) (default: ${DEFAULT-VALUE})")
  String ties;

  @Option(names = "--out", paramLabel = "DIR", description = "write fill.json and fill.svg")
  Path out;

  /** The inputs once read: the cluster, the trace, and what to call them. */
  record Input(String name, List<NodeCapacity> nodes, List<PodRequest> trace) {}

  @Override
  public Integer call() throws IOException {
    PrintWriter w = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Input input;
    List<String> chosen;
    try {
      chosen = checkOptions();
      input = input();
    } catch (IllegalArgumentException e) {
      err.println("cotenant eval fill: " + e.getMessage());
      return EvalCommand.BAD_INPUT;
    }
    List<Long> seedList = LongStream.rangeClosed(1, seeds).boxed().toList();
    FillExperiment.Setup setup =
        FillExperiment.Setup.of(input.nodes(), input.trace(), chosen, seedList, inflate, tieRule());
    FillReport.header(w, input, setup);
    w.flush();
    Progress progress = new Progress(err, "fill");
    List<FillExperiment.PolicyResult> results = FillExperiment.run(setup, progress::update);
    progress.done();
    FillReport.table(w, results, OPENB.equals(input.name()) ? PUBLISHED : Map.of());
    if (out != null) {
      Files.createDirectories(out);
      FillReport.writeJson(results, out.resolve("fill.json"));
      FillReport.writeSvg(results, input.name(), out.resolve("fill.svg"));
      w.printf("%nwrote %s and fill.svg%n", out.resolve("fill.json"));
    }
    w.flush();
    return 0;
  }

  private List<String> checkOptions() {
    if (seeds < 1 || seeds > 1000) {
      throw new IllegalArgumentException("--seeds must be from 1 to 1000, got " + seeds);
    }
    if (!(inflate >= 1 && inflate <= 5)) {
      throw new IllegalArgumentException(
          "--inflate must be from 1 to 5 (1.3 samples pods up to 130% of GPU capacity), got "
              + inflate);
    }
    tieRule();
    List<String> chosen = policies != null ? policies : DEFAULT_POLICIES;
    List<String> known = FillExperiment.policyNames();
    for (String p : chosen) {
      if (!known.contains(p)) {
        throw new IllegalArgumentException(
            "--policies: unknown policy '" + p + "'; the policies are " + String.join(", ", known));
      }
    }
    return chosen;
  }

  private FillRun.Ties tieRule() {
    return switch (ties) {
      case "first" -> FillRun.Ties.FIRST;
      case "random" -> FillRun.Ties.RANDOM;
      default ->
          throw new IllegalArgumentException("--ties must be first or random, got '" + ties + "'");
    };
  }

  private Input input() {
    boolean openbFiles = nodes != null || pods != null;
    boolean projectFiles = cluster != null || workload != null;
    if (scenario != null) {
      if (openbFiles || projectFiles) {
        throw new IllegalArgumentException(
            "--scenario cannot be combined with --nodes, --pods, --cluster or --workload");
      }
      if (!OPENB.equals(scenario)) {
        throw new IllegalArgumentException(
            "--scenario: unknown scenario '" + scenario + "'; the fill scenarios are openb");
      }
      return new Input(OPENB, OpenbCsv.bundledNodes(), OpenbCsv.bundledPods());
    }
    if (openbFiles && projectFiles) {
      throw new IllegalArgumentException(
          "--nodes and --pods (openb files) cannot be combined with --cluster and --workload");
    }
    if (openbFiles) {
      requirePair("--nodes", nodes, "--pods", pods);
      return new Input(
          nodes + ", " + pods,
          read("--nodes", nodes, OpenbCsv::readNodes),
          read("--pods", pods, OpenbCsv::readPods));
    }
    if (projectFiles) {
      requirePair("--cluster", cluster, "--workload", workload);
      return new Input(
          cluster + ", " + workload,
          read("--cluster", cluster, ProjectFiles::readCluster),
          read("--workload", workload, ProjectFiles::readWorkload));
    }
    throw new IllegalArgumentException(
        "give --scenario openb, --nodes N.csv and --pods P.csv (openb format), or --cluster C.csv"
            + " and --workload W.csv");
  }

  private static void requirePair(String a, Path pathA, String b, Path pathB) {
    List<String> missing = new ArrayList<>();
    if (pathA == null) missing.add(a);
    if (pathB == null) missing.add(b);
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          a + " and " + b + " go together: missing " + String.join(", ", missing));
    }
  }

  private static <T> List<T> read(String flag, Path file, Function<Path, List<T>> reader) {
    if (!Files.isReadable(file)) {
      throw new IllegalArgumentException(flag + ": cannot read " + file);
    }
    try {
      return reader.apply(file);
    } catch (FileFormatException | UncheckedIOException | IllegalArgumentException e) {
      throw new IllegalArgumentException(flag + ": " + e.getMessage(), e);
    }
  }
}
