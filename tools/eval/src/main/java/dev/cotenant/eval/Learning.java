package dev.cotenant.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * How fast a policy that learns approaches the same policy with the oracle: jobs in submission
 * order, cut into consecutive windows, and each window's mean JCT under both. The regret of a
 * window is learned minus oracle.
 */
final class Learning {

  /** Jobs {@code [fromJob, toJob)} by submission order, mean JCT of those that succeeded. */
  record Window(int fromJob, int toJob, double oracleMeanJct, double learnedMeanJct) {
    double regretSeconds() {
      return learnedMeanJct - oracleMeanJct;
    }
  }

  private Learning() {}

  static List<Window> curve(PolicyResult oracle, PolicyResult learned, int windows) {
    List<EvalRunner.JobResult> order = new ArrayList<>(oracle.jobResults());
    order.sort(Comparator.comparingDouble(EvalRunner.JobResult::submitSeconds));
    Map<String, EvalRunner.JobResult> oracleByName = byName(oracle);
    Map<String, EvalRunner.JobResult> learnedByName = byName(learned);
    List<Window> out = new ArrayList<>();
    int size = Math.max(1, (int) Math.ceil(order.size() / (double) windows));
    for (int from = 0; from < order.size(); from += size) {
      int to = Math.min(order.size(), from + size);
      List<String> names =
          order.subList(from, to).stream().map(EvalRunner.JobResult::name).toList();
      out.add(new Window(from, to, meanJct(names, oracleByName), meanJct(names, learnedByName)));
    }
    return out;
  }

  private static Map<String, EvalRunner.JobResult> byName(PolicyResult r) {
    return r.jobResults().stream()
        .collect(Collectors.toMap(EvalRunner.JobResult::name, Function.identity()));
  }

  private static double meanJct(List<String> names, Map<String, EvalRunner.JobResult> results) {
    return names.stream()
        .map(results::get)
        .filter(j -> j != null && j.completionSeconds().isPresent())
        .mapToDouble(j -> j.completionSeconds().getAsDouble())
        .average()
        .orElse(Double.NaN);
  }
}
