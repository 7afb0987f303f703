package dev.cotenant.eval;

import dev.cotenant.interference.AppInfo;
import dev.cotenant.interference.InterferenceMatrix;
import dev.cotenant.interference.PairEntry;
import dev.cotenant.interference.learn.FactorModel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * How well unseen pairs are predicted: hide some measured pairs of a matrix, predict them from the
 * rest, and compare. Methods: the global mean, row+column effects (how sensitive the app, how
 * aggressive the co-tenant), and ours ({@link FactorModel}: effects + low-rank term + solo features
 * for cold start).
 */
public final class InterferenceEval {

  public static final List<String> METHODS = List.of("global-mean", "row-column", "cotenant");

  /** One method's mean absolute error of normalised throughput over {@code pairs} predictions. */
  public record MethodError(String method, double mae, long pairs) {}

  private InterferenceEval() {}

  /**
   * How the predictor's hyperparameters are set for each hiding: {@code SELECTED} chooses them by
   * cross-validation inside that hiding's known pairs ({@link FactorModel#select}), {@code FIXED}
   * takes the given configuration as it is.
   */
  public enum Tuning {
    SELECTED,
    FIXED
  }

  /** Hides a random {@code share} of the measured pairs {@code repeats} times. */
  public static List<MethodError> hideRandom(
      InterferenceMatrix matrix,
      double share,
      int repeats,
      long seed,
      FactorModel.Config config,
      Tuning tuning) {
    if (!(share > 0 && share < 1)) {
      throw new IllegalArgumentException("--hide must be within (0, 1), got " + share);
    }
    if (repeats < 1) {
      throw new IllegalArgumentException("--repeats must be at least 1, got " + repeats);
    }
    List<PairEntry> measured = measured(matrix);
    int hide = (int) Math.round(share * measured.size());
    if (hide < 1 || hide >= measured.size()) {
      throw new IllegalArgumentException(
          "--hide " + share + " of " + measured.size() + " measured pairs leaves nothing to do");
    }
    Map<String, double[]> errors = new LinkedHashMap<>();
    for (int r = 0; r < repeats; r++) {
      List<PairEntry> shuffled = new ArrayList<>(measured);
      Collections.shuffle(shuffled, new Random(seed + r));
      List<PairEntry> hidden = shuffled.subList(0, hide);
      List<PairEntry> known = shuffled.subList(hide, shuffled.size());
      // Mean of per-repeat MAEs, as the targets are stated.
      score(matrix, known, hidden, config, tuning)
          .forEach((method, mae) -> errors.computeIfAbsent(method, m -> new double[1])[0] += mae);
    }
    List<MethodError> out = new ArrayList<>();
    errors.forEach(
        (method, sum) -> out.add(new MethodError(method, sum[0] / repeats, (long) hide * repeats)));
    return out;
  }

  /** Hides every pair of one app (both as app and as co-tenant), for each app in turn. */
  public static List<MethodError> coldStart(
      InterferenceMatrix matrix, FactorModel.Config config, Tuning tuning) {
    List<PairEntry> measured = measured(matrix);
    Map<String, double[]> sums = new LinkedHashMap<>();
    long total = 0;
    for (AppInfo app : matrix.apps()) {
      List<PairEntry> hidden = new ArrayList<>();
      List<PairEntry> known = new ArrayList<>();
      for (PairEntry p : measured) {
        (p.app().equals(app.name()) || p.with().equals(app.name()) ? hidden : known).add(p);
      }
      if (hidden.isEmpty()) {
        continue;
      }
      // Pooled over all hidden pairs: each app's pairs weigh by their number.
      int n = hidden.size();
      score(matrix, known, hidden, config, tuning)
          .forEach((method, mae) -> sums.computeIfAbsent(method, m -> new double[1])[0] += mae * n);
      total += n;
    }
    List<MethodError> out = new ArrayList<>();
    long pairs = total;
    sums.forEach((method, sum) -> out.add(new MethodError(method, sum[0] / pairs, pairs)));
    return out;
  }

  private static List<PairEntry> measured(InterferenceMatrix matrix) {
    return matrix.pairs().stream().filter(p -> p.normalizedThroughput().isPresent()).toList();
  }

  private static Map<String, Double> score(
      InterferenceMatrix matrix,
      List<PairEntry> known,
      List<PairEntry> hidden,
      FactorModel.Config config,
      Tuning tuning) {
    List<String> apps = matrix.apps().stream().map(AppInfo::name).toList();
    Map<String, Map<String, Double>> values = new HashMap<>();
    double sum = 0;
    for (PairEntry p : known) {
      double t = p.normalizedThroughput().getAsDouble();
      values.computeIfAbsent(p.app(), a -> new HashMap<>()).put(p.with(), t);
      sum += t;
    }
    double mean = sum / known.size();
    FactorModel rowColumn =
        FactorModel.fit(apps, values, Map.of(), config.withRank(0).withoutValidation());
    // Chosen on the known pairs only: the hidden ones are what is scored.
    FactorModel.Config chosen =
        tuning == Tuning.SELECTED ? FactorModel.select(apps, values, config) : config;
    FactorModel ours = FactorModel.fit(apps, values, features(matrix), chosen.withoutValidation());
    double meanError = 0;
    double rowColumnError = 0;
    double oursError = 0;
    for (PairEntry p : hidden) {
      double truth = p.normalizedThroughput().getAsDouble();
      meanError += Math.abs(mean - truth);
      rowColumnError += Math.abs(rowColumn.predict(p.app(), p.with()).throughput() - truth);
      oursError += Math.abs(ours.predict(p.app(), p.with()).throughput() - truth);
    }
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("global-mean", meanError / hidden.size());
    out.put("row-column", rowColumnError / hidden.size());
    out.put("cotenant", oursError / hidden.size());
    return out;
  }

  /** The solo features a brand-new app has before any co-location: its solo profile. */
  static Map<String, double[]> features(InterferenceMatrix matrix) {
    Map<String, double[]> out = new HashMap<>();
    for (AppInfo a : matrix.apps()) {
      out.put(a.name(), FactorModel.soloFeatures(a));
    }
    return out;
  }
}
