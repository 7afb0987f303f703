package dev.cotenant.eval;

import dev.cotenant.interference.InterferenceFile;
import dev.cotenant.interference.InterferenceFormatException;
import dev.cotenant.interference.InterferenceMatrix;
import dev.cotenant.interference.learn.FactorModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cotenant eval interference}: how well hidden pairs of a measured matrix are predicted. */
@Command(
    name = "interference",
    mixinStandardHelpOptions = true,
    description = {
      "Hides a random share of the measured pairs of an interference matrix (or, with"
          + " --cold-start, every pair of one app, for each app in turn), predicts them from the"
          + " rest and prints the mean absolute error of normalised throughput for the global"
          + " mean, row+column effects and Cotenant's predictor."
    })
public final class InterferenceEvalCommand implements Callable<Integer> {

  /** The scenarios with a measured matrix, by the device whose matrix it is. */
  private static final java.util.Map<String, String> DEVICES =
      java.util.Map.of("gavel-p100", "p100", "gavel-k80", "k80");

  @Spec CommandSpec spec;

  @Option(
      names = "--matrix",
      paramLabel = "I.json",
      description = "interference file (default: the shipped gavel-p100 matrix)")
  Path matrix;

  @Option(
      names = "--hide",
      defaultValue = "0.2",
      description = "share of measured pairs hidden per repeat (default: ${DEFAULT-VALUE})")
  double hide;

  @Option(
      names = "--repeats",
      defaultValue = "20",
      description = "random hidings averaged (default: ${DEFAULT-VALUE})")
  int repeats;

  @Option(
      names = "--cold-start",
      description = "hide every pair of one app, each app in turn (ignores --hide, --repeats)")
  boolean coldStart;

  @Option(names = "--seed", defaultValue = "1", description = "random seed of the hidings")
  long seed;

  @Option(
      names = "--rank",
      description =
          "latent factors of the predictor, fixed (default: the rank and ridge penalties are"
              + " chosen per hiding by cross-validation inside its known pairs)")
  Integer rank;

  @Option(
      names = "--scenario",
      paramLabel = "NAME",
      description = "gavel-p100 (default) or gavel-k80: that device's measured matrix")
  String scenario;

  @Option(names = "--out", paramLabel = "DIR", description = "write interference-eval.json")
  Path out;

  @Override
  public Integer call() throws IOException {
    PrintWriter w = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<InterferenceEval.MethodError> results;
    InterferenceMatrix m;
    try {
      if (rank != null && rank < 0) {
        throw new IllegalArgumentException("--rank must be at least 0, got " + rank);
      }
      if (matrix != null && !Files.isReadable(matrix)) {
        throw new IllegalArgumentException("--matrix: cannot read " + matrix);
      }
      if (matrix != null && scenario != null) {
        throw new IllegalArgumentException("--matrix and --scenario: give one");
      }
      if (scenario != null && !DEVICES.containsKey(scenario)) {
        throw new IllegalArgumentException(
            "--scenario must be gavel-p100 or gavel-k80, got '" + scenario + "'");
      }
      m =
          matrix != null
              ? InterferenceFile.read(matrix)
              : Scenario.gavelMatrix(DEVICES.get(scenario == null ? "gavel-p100" : scenario));
      FactorModel.Config config =
          rank == null
              ? FactorModel.Config.defaults()
              : FactorModel.Config.defaults().withRank(rank);
      InterferenceEval.Tuning tuning =
          rank == null ? InterferenceEval.Tuning.SELECTED : InterferenceEval.Tuning.FIXED;
      results =
          coldStart
              ? InterferenceEval.coldStart(m, config, tuning)
              : InterferenceEval.hideRandom(m, hide, repeats, seed, config, tuning);
    } catch (InterferenceFormatException | IllegalArgumentException | UncheckedIOException e) {
      err.println("cotenant eval interference: " + e.getMessage());
      return EvalCommand.BAD_INPUT;
    }
    w.printf(
        "%s: %d apps, %d measured pairs; %s%n%n",
        matrix != null ? matrix : scenario == null ? "gavel-p100" : scenario,
        m.apps().size(),
        m.pairs().stream().filter(p -> p.normalizedThroughput().isPresent()).count(),
        coldStart
            ? "cold start: every pair of one app hidden, each app in turn"
            : String.format("%.0f%% of pairs hidden, %d repeats", 100 * hide, repeats)
                + (rank == null
                    ? "; hyperparameters chosen by 5-fold cross-validation inside the known pairs"
                    : "; rank fixed at " + rank));
    w.printf("%-12s %8s %8s%n", "method", "mae", "pairs");
    for (InterferenceEval.MethodError r : results) {
      w.printf("%-12s %8.4f %8d%n", r.method(), r.mae(), r.pairs());
    }
    if (out != null) {
      Files.createDirectories(out);
      Path file = out.resolve("interference-eval.json");
      EvalCommand.writePretty(results, file);
      w.printf("%nwrote %s%n", file);
    }
    w.flush();
    return 0;
  }
}
