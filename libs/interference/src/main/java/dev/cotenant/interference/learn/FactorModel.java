package dev.cotenant.interference.learn;

import dev.cotenant.interference.AppInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * Predicts the normalised throughput of ordered pairs never measured, from the pairs that were:
 * {@code T(a|b) ≈ μ + r_a + c_b + u_a·v_b}. The row and column effects say how sensitive {@code a}
 * is and how aggressive {@code b} is; the rank-k term captures which kinds of apps clash (two
 * DRAM-bound jobs hurt each other more than their averages say). Fitted by alternating ridge least
 * squares; rank 0 is the plain row+column effects model.
 *
 * <p>Cold start: an app with no measured row (or column) gets the row (column) that a ridge
 * regression from solo features to the completed rows of the other apps predicts for its features;
 * with no features that is the mean row.
 *
 * <p>Each prediction has an uncertainty: the model's cross-validated error for warm pairs, plus the
 * feature regression's error where a side is cold. Immutable once fitted; fitting a 26-app matrix
 * takes about a millisecond.
 */
public final class FactorModel {

  /**
   * @param rank latent factors beyond the row and column effects (0 = row+column effects)
   * @param lambda ridge penalty on the factors
   * @param effectLambda ridge penalty on the row and column effects
   * @param featureRidge ridge penalty of the cold-start regression from features
   * @param iterations alternating least-squares sweeps
   * @param folds cross-validation folds for the uncertainty (0 = in-sample residuals only)
   * @param seed initialisation of the factors
   */
  public record Config(
      int rank,
      double lambda,
      double effectLambda,
      double featureRidge,
      int iterations,
      int folds,
      long seed) {
    public Config {
      if (rank < 0 || iterations < 1 || folds < 0 || folds == 1) {
        throw new IllegalArgumentException(
            "rank >= 0, iterations >= 1 and folds 0 or >= 2 required");
      }
    }

    /**
     * Fixed hyperparameters, for fits that cannot afford {@link FactorModel#select} on every refit
     * (the learner's). Chosen on the Gavel P100 matrix by hiding 20% of its pairs (tools/eval
     * README), so scored on pairs they were tuned on; {@code cotenant eval interference} chooses by
     * {@code select} instead, inside the known pairs only.
     */
    public static Config defaults() {
      return new Config(3, 0.1, 1.0, 1.0, 50, 5, 7);
    }

    public Config withRank(int r) {
      return new Config(r, lambda, effectLambda, featureRidge, iterations, folds, seed);
    }

    public Config withoutValidation() {
      return new Config(rank, lambda, effectLambda, featureRidge, iterations, 0, seed);
    }
  }

  /** A prediction: throughput and the standard deviation of its error. */
  public record Estimate(double throughput, double uncertainty) {}

  private final List<String> apps;
  private final Map<String, Integer> index;
  private final double[][] completed;
  private final double warmError;
  private final boolean[] coldRow;
  private final boolean[] coldColumn;
  private final double coldRowError;
  private final double coldColumnError;

  private FactorModel(
      List<String> apps,
      double[][] completed,
      double warmError,
      boolean[] coldRow,
      boolean[] coldColumn,
      double coldRowError,
      double coldColumnError) {
    this.apps = List.copyOf(apps);
    this.index = new HashMap<>();
    for (int i = 0; i < apps.size(); i++) {
      index.put(apps.get(i), i);
    }
    this.completed = completed;
    this.warmError = warmError;
    this.coldRow = coldRow;
    this.coldColumn = coldColumn;
    this.coldRowError = coldRowError;
    this.coldColumnError = coldColumnError;
  }

  /**
   * Fits the model.
   *
   * @param apps every app to predict for, including ones with nothing measured
   * @param measured known throughputs, {@code measured.get(a).get(b)} = T(a|b)
   * @param features solo features per app (any scale; standardised here); apps may lack them
   */
  public static FactorModel fit(
      List<String> apps,
      Map<String, Map<String, Double>> measured,
      Map<String, double[]> features,
      Config config) {
    int n = apps.size();
    double[][] values = matrix(apps, measured);
    double[][] completed = complete(values, config);
    double warmError =
        config.folds() == 0 ? residualError(values, completed) : crossValidated(values, config);
    boolean[] coldRow = new boolean[n];
    boolean[] coldColumn = new boolean[n];
    Arrays.fill(coldRow, true);
    Arrays.fill(coldColumn, true);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        if (!Double.isNaN(values[i][j])) {
          coldRow[i] = false;
          coldColumn[j] = false;
        }
      }
    }
    return withColdStart(apps, completed, warmError, coldRow, coldColumn, features, config);
  }

  /** The measured throughputs as an apps × apps array, NaN where unmeasured. */
  private static double[][] matrix(List<String> apps, Map<String, Map<String, Double>> measured) {
    int n = apps.size();
    double[][] values = new double[n][n];
    for (double[] row : values) {
      Arrays.fill(row, Double.NaN);
    }
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < n; i++) {
      index.put(apps.get(i), i);
    }
    measured.forEach(
        (a, row) ->
            row.forEach(
                (b, t) -> {
                  Integer i = index.get(a);
                  Integer j = index.get(b);
                  if (i != null && j != null && Double.isFinite(t)) {
                    values[i][j] = t;
                  }
                }));
    return values;
  }

  /**
   * A model from a completion made elsewhere ({@link ObservationFit} fits one straight from runs):
   * rows and columns marked cold are replaced from solo features.
   */
  static FactorModel withColdStart(
      List<String> apps,
      double[][] completed,
      double warmError,
      boolean[] coldRow,
      boolean[] coldColumn,
      Map<String, double[]> features,
      Config config) {
    double[][] x = featureDesign(apps, features);
    double coldRowError = fillCold(completed, coldRow, x, config.featureRidge(), false);
    double coldColumnError = fillCold(completed, coldColumn, x, config.featureRidge(), true);
    return new FactorModel(
        apps,
        completed,
        warmError,
        coldRow,
        coldColumn,
        Math.hypot(warmError, coldRowError),
        Math.hypot(warmError, coldColumnError));
  }

  /**
   * The solo features the cold-start regression uses, from an app's solo profile: log solo rate,
   * GPU memory, GPU utilisation, SM and DRAM activity, CPU; NaN where the profile lacks one.
   */
  public static double[] soloFeatures(AppInfo info) {
    double rate = info.soloRate().orElse(Double.NaN);
    return new double[] {
      rate > 0 ? Math.log(rate) : Double.NaN,
      info.gpuMemoryMiB().orElse(Double.NaN),
      info.gpuUtilPercent().orElse(Double.NaN),
      info.smActivity().orElse(Double.NaN),
      info.dramActivity().orElse(Double.NaN),
      info.cpuMilli().orElse(Double.NaN)
    };
  }

  public List<String> apps() {
    return apps;
  }

  /** The prediction for {@code a} beside {@code b}, or null if either app was not in the fit. */
  public Estimate predict(String a, String b) {
    Integer i = index.get(a);
    Integer j = index.get(b);
    if (i == null || j == null) {
      return null;
    }
    double error = warmError;
    if (coldRow[i] && coldColumn[j]) {
      error = Math.hypot(coldRowError, coldColumnError);
    } else if (coldRow[i]) {
      error = coldRowError;
    } else if (coldColumn[j]) {
      error = coldColumnError;
    }
    return new Estimate(clamp(completed[i][j]), error);
  }

  /** The cross-validated error of warm predictions (standard deviation). */
  public double warmError() {
    return warmError;
  }

  private static double clamp(double t) {
    return Math.max(0.01, Math.min(1.5, t));
  }

  /** Row+column effects plus the rank-k residual term, on every cell. */
  static double[][] complete(double[][] values, Config config) {
    int n = values.length;
    double mu = 0;
    int count = 0;
    for (double[] row : values) {
      for (double v : row) {
        if (!Double.isNaN(v)) {
          mu += v;
          count++;
        }
      }
    }
    mu = count == 0 ? 0.5 : mu / count;
    double[] r = new double[n];
    double[] c = new double[n];
    for (int sweep = 0; sweep < 30; sweep++) {
      for (int i = 0; i < n; i++) {
        double sum = 0;
        int m = 0;
        for (int j = 0; j < n; j++) {
          if (!Double.isNaN(values[i][j])) {
            sum += values[i][j] - mu - c[j];
            m++;
          }
        }
        r[i] = sum / (m + config.effectLambda());
      }
      for (int j = 0; j < n; j++) {
        double sum = 0;
        int m = 0;
        for (int i = 0; i < n; i++) {
          if (!Double.isNaN(values[i][j])) {
            sum += values[i][j] - mu - r[i];
            m++;
          }
        }
        c[j] = sum / (m + config.effectLambda());
      }
    }
    double[][] out = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        out[i][j] = mu + r[i] + c[j];
      }
    }
    int k = config.rank();
    if (k == 0 || count == 0) {
      return out;
    }
    double[][] residual = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        residual[i][j] = Double.isNaN(values[i][j]) ? Double.NaN : values[i][j] - out[i][j];
      }
    }
    Random random = new Random(config.seed());
    double[][] u = new double[n][k];
    double[][] v = new double[n][k];
    for (int i = 0; i < n; i++) {
      for (int f = 0; f < k; f++) {
        u[i][f] = random.nextGaussian() * 0.1;
        v[i][f] = random.nextGaussian() * 0.1;
      }
    }
    double[][] transposed = transpose(residual);
    for (int sweep = 0; sweep < config.iterations(); sweep++) {
      solveFactors(residual, v, u, config.lambda());
      solveFactors(transposed, u, v, config.lambda());
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double dot = 0;
        for (int f = 0; f < k; f++) {
          dot += u[i][f] * v[j][f];
        }
        out[i][j] += dot;
      }
    }
    return out;
  }

  /** For each row i: {@code target[i] = argmin Σ_j (y_ij − target_i·fixed_j)² + λ|target_i|²}. */
  private static void solveFactors(
      double[][] y, double[][] fixed, double[][] target, double lambda) {
    int k = fixed[0].length;
    double[][] a = new double[k][k];
    double[] b = new double[k];
    for (int i = 0; i < y.length; i++) {
      for (double[] row : a) {
        Arrays.fill(row, 0);
      }
      Arrays.fill(b, 0);
      for (int j = 0; j < y[i].length; j++) {
        double value = y[i][j];
        if (Double.isNaN(value)) {
          continue;
        }
        double[] q = fixed[j];
        for (int p = 0; p < k; p++) {
          b[p] += q[p] * value;
          for (int s = 0; s < k; s++) {
            a[p][s] += q[p] * q[s];
          }
        }
      }
      for (int p = 0; p < k; p++) {
        a[p][p] += lambda;
      }
      target[i] = solve(a, b);
    }
  }

  static double[] solve(double[][] a, double[] b) {
    // Rounding can leave a normal-equation matrix asymmetric in the last bit.
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < i; j++) {
        a[i][j] = a[j][i] = (a[i][j] + a[j][i]) / 2;
      }
    }
    return new CholeskyDecomposition(new Array2DRowRealMatrix(a, true))
        .getSolver()
        .solve(new ArrayRealVector(b, false))
        .toArray();
  }

  private static double[][] transpose(double[][] m) {
    double[][] t = new double[m[0].length][m.length];
    for (int i = 0; i < m.length; i++) {
      for (int j = 0; j < m[i].length; j++) {
        t[j][i] = m[i][j];
      }
    }
    return t;
  }

  private static double residualError(double[][] values, double[][] completed) {
    double sum = 0;
    int count = 0;
    for (int i = 0; i < values.length; i++) {
      for (int j = 0; j < values.length; j++) {
        if (!Double.isNaN(values[i][j])) {
          double e = values[i][j] - completed[i][j];
          sum += e * e;
          count++;
        }
      }
    }
    return count == 0 ? 0.5 : Math.sqrt(sum / count);
  }

  /** Root mean squared error on held-out cells, k-fold. */
  private static double crossValidated(double[][] values, Config config) {
    return heldOut(values, config)[0];
  }

  /**
   * Latent factors tried by {@link #select}: none (row+column effects) to four; more than four
   * factors cannot be told apart in a 26-app matrix with a fifth of it held out.
   */
  static final int[] RANKS = {0, 1, 2, 3, 4};

  /**
   * Ridge penalties tried, a plain log grid around 0.1 and 1 (not fitted), strongest first so that
   * a tie keeps the stronger penalty.
   */
  static final double[] LAMBDAS = {1.0, 0.3, 0.1, 0.03};

  static final double[] EFFECT_LAMBDAS = {3.0, 1.0, 0.3};

  /**
   * The hyperparameters for the pairs at hand: every rank and ridge penalty of a small grid is
   * scored by k-fold cross-validation (mean absolute error) over the measured pairs given, and the
   * best is kept; the pairs a caller later predicts take no part. Ties go to the simpler model
   * (lower rank, then stronger penalties). With too few pairs to hold any out, {@code base}.
   */
  public static Config select(
      List<String> apps, Map<String, Map<String, Double>> measured, Config base) {
    double[][] values = matrix(apps, measured);
    int folds = base.folds() == 0 ? 5 : base.folds();
    Config best = base;
    double bestError = Double.POSITIVE_INFINITY;
    for (int rank : RANKS) {
      for (double lambda : LAMBDAS) {
        for (double effect : EFFECT_LAMBDAS) {
          Config candidate =
              new Config(
                  rank, lambda, effect, base.featureRidge(), base.iterations(), folds, base.seed());
          double[] errors = heldOut(values, candidate);
          if (Double.isNaN(errors[1])) {
            return base;
          }
          if (errors[1] < bestError - 1e-12) {
            bestError = errors[1];
            best = candidate;
          }
          if (rank == 0) {
            break; // the factor penalty means nothing without factors
          }
        }
      }
    }
    return new Config(
        best.rank(),
        best.lambda(),
        best.effectLambda(),
        base.featureRidge(),
        base.iterations(),
        base.folds(),
        base.seed());
  }

  /**
   * Held-out error, k-fold over the measured cells: {root mean squared, mean absolute}; both NaN
   * when there are too few cells to hold any out (the RMSE is then the in-sample one).
   */
  private static double[] heldOut(double[][] values, Config config) {
    int n = values.length;
    List<int[]> cells = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        if (!Double.isNaN(values[i][j])) {
          cells.add(new int[] {i, j});
        }
      }
    }
    if (config.folds() < 2 || cells.size() < 2 * config.folds()) {
      return new double[] {residualError(values, complete(values, config)), Double.NaN};
    }
    java.util.Collections.shuffle(cells, new Random(config.seed()));
    double sum = 0;
    double absolute = 0;
    for (int fold = 0; fold < config.folds(); fold++) {
      double[][] train = new double[n][];
      for (int i = 0; i < n; i++) {
        train[i] = values[i].clone();
      }
      for (int c = fold; c < cells.size(); c += config.folds()) {
        train[cells.get(c)[0]][cells.get(c)[1]] = Double.NaN;
      }
      double[][] predicted = complete(train, config);
      for (int c = fold; c < cells.size(); c += config.folds()) {
        int[] cell = cells.get(c);
        double e = values[cell[0]][cell[1]] - clamp(predicted[cell[0]][cell[1]]);
        sum += e * e;
        absolute += Math.abs(e);
      }
    }
    return new double[] {Math.sqrt(sum / cells.size()), absolute / cells.size()};
  }

  /**
   * Standardised features with an intercept column; a missing feature is the mean (0 after
   * standardising). Features that fewer than half the apps have, or that do not vary, are dropped.
   */
  static double[][] featureDesign(List<String> apps, Map<String, double[]> features) {
    int n = apps.size();
    int width = 0;
    for (String app : apps) {
      double[] f = features.get(app);
      if (f != null) {
        width = Math.max(width, f.length);
      }
    }
    List<double[]> columns = new ArrayList<>();
    columns.add(filled(n, 1.0));
    for (int f = 0; f < width; f++) {
      double[] column = new double[n];
      double sum = 0;
      double sumSquares = 0;
      int present = 0;
      for (int i = 0; i < n; i++) {
        double[] row = features.get(apps.get(i));
        double v = row == null || f >= row.length ? Double.NaN : row[f];
        column[i] = v;
        if (Double.isFinite(v)) {
          sum += v;
          sumSquares += v * v;
          present++;
        }
      }
      if (present * 2 < n || present < 3) {
        continue;
      }
      double mean = sum / present;
      double sd = Math.sqrt(Math.max(0, sumSquares / present - mean * mean));
      if (sd < 1e-12) {
        continue;
      }
      for (int i = 0; i < n; i++) {
        column[i] = Double.isFinite(column[i]) ? (column[i] - mean) / sd : 0;
      }
      columns.add(column);
    }
    double[][] x = new double[n][columns.size()];
    for (int i = 0; i < n; i++) {
      for (int f = 0; f < columns.size(); f++) {
        x[i][f] = columns.get(f)[i];
      }
    }
    return x;
  }

  private static double[] filled(int n, double value) {
    double[] a = new double[n];
    Arrays.fill(a, value);
    return a;
  }

  /**
   * Replaces the cold rows (or columns) of {@code completed} by a ridge regression from features
   * fitted on the warm ones; returns that regression's in-sample error (0 when nothing is cold).
   */
  private static double fillCold(
      double[][] completed, boolean[] cold, double[][] x, double ridge, boolean columns) {
    int n = completed.length;
    List<Integer> warm = new ArrayList<>();
    List<Integer> coldOnes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      (cold[i] ? coldOnes : warm).add(i);
    }
    if (coldOnes.isEmpty()) {
      return 0;
    }
    if (warm.isEmpty()) {
      return 0.5;
    }
    int p = x[0].length;
    double[][] xtx = new double[p][p];
    for (int w : warm) {
      for (int a = 0; a < p; a++) {
        for (int b = 0; b < p; b++) {
          xtx[a][b] += x[w][a] * x[w][b];
        }
      }
    }
    for (int a = 1; a < p; a++) {
      xtx[a][a] += ridge;
    }
    xtx[0][0] += 1e-9;
    RealMatrix inverse =
        new CholeskyDecomposition(new Array2DRowRealMatrix(xtx, false)).getSolver().getInverse();
    double sumSquares = 0;
    int count = 0;
    for (int other = 0; other < n; other++) {
      // One regression per cell position along the cold line: target = the warm apps' values there.
      double[] xty = new double[p];
      for (int w : warm) {
        double y = columns ? completed[other][w] : completed[w][other];
        for (int a = 0; a < p; a++) {
          xty[a] += x[w][a] * y;
        }
      }
      double[] beta = inverse.operate(xty);
      for (int w : warm) {
        double e = (columns ? completed[other][w] : completed[w][other]) - dot(x[w], beta);
        sumSquares += e * e;
        count++;
      }
      for (int c : coldOnes) {
        if (columns) {
          completed[other][c] = dot(x[c], beta);
        } else {
          completed[c][other] = dot(x[c], beta);
        }
      }
    }
    return Math.sqrt(sumSquares / Math.max(1, count));
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
