package dev.cotenant.interference;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The model of an interference file taken as truth ({@code --knowledge oracle}): measured pairs are
 * certain; pairs the file does not list get the prior, the mean of the listed pairs with their
 * standard deviation as uncertainty. A file with no pairs ({@code --knowledge none}) gets the
 * time-slicing prior: two tenants each keep half their rate, give or take half.
 */
public final class MatrixModel implements InterferenceModel {

  /** Prior when nothing at all is measured: fair time slicing, with maximal doubt. */
  public static final Prediction TIME_SLICING_PRIOR =
      new Prediction(0.5, 0.5, Prediction.Source.PRIOR);

  private final InterferenceMatrix matrix;
  // Nested maps: a lookup allocates nothing, as the engine asks per candidate GPU.
  private final Map<String, Map<String, Prediction>> known = new HashMap<>();
  private final Prediction prior;

  public MatrixModel(InterferenceMatrix matrix) {
    this.matrix = matrix;
    double sum = 0;
    double sumSquares = 0;
    int n = 0;
    for (PairEntry pair : matrix.pairs()) {
      var row = known.computeIfAbsent(pair.app(), a -> new HashMap<>());
      if (pair.incompatible()) {
        row.put(pair.with(), Prediction.incompatible());
      } else {
        double t = pair.normalizedThroughput().getAsDouble();
        // A file written by a learned model says which cells it only predicted, and how surely.
        row.put(
            pair.with(),
            pair.evidence().predicted()
                ? new Prediction(
                    t, pair.evidence().uncertainty().orElse(0), Prediction.Source.PREDICTED)
                : new Prediction(t, 0, Prediction.Source.MEASURED));
        sum += t;
        sumSquares += t * t;
        n++;
      }
    }
    if (n == 0) {
      prior = TIME_SLICING_PRIOR;
    } else {
      double mean = sum / n;
      double variance = Math.max(0, sumSquares / n - mean * mean);
      prior = new Prediction(mean, Math.sqrt(variance), Prediction.Source.PRIOR);
    }
  }

  /** A model that knows nothing about any pair. */
  public static MatrixModel empty() {
    return new MatrixModel(
        new InterferenceMatrix("unknown", java.util.List.of(), java.util.List.of()));
  }

  public InterferenceMatrix matrix() {
    return matrix;
  }

  public Prediction prior() {
    return prior;
  }

  @Override
  public Prediction predict(String app, String with) {
    Map<String, Prediction> row = known.get(app);
    Prediction p = row == null ? null : row.get(with);
    return p == null ? prior : p;
  }

  @Override
  public Optional<AppInfo> profile(String app) {
    return matrix.app(app);
  }
}
