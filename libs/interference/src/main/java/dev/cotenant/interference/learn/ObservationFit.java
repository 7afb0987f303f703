package dev.cotenant.interference.learn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Fits the predictor's form {@code T(a|b) = μ + r_a + c_b + u_a·v_b} straight from runs, rather
 * than from per-pair estimates: a run of app a at mean rate y, beside b for share s_b, says {@code
 * 1 − y/ρ_a = Σ_b s_b·(1 − T(a|b))}. Every run then informs a's sensitivity r_a and each
 * co-tenant's aggression c_b, so a few hundred runs pin down the effects of 26 apps long before the
 * 676 pairs are each seen. Solo rates ρ_a are fitted in the same alternation. Coordinate descent on
 * the residuals, ridge on every parameter; linear in each block, so each step is a small closed
 * form.
 */
final class ObservationFit {

  /** A run reduced to what the fit needs. {@code fixedLoss} ≥ 0 marks a given (imported) cell. */
  record Row(int app, double rate, int[] with, double[] share, double fixedLoss) {}

  private ObservationFit() {}

  /**
   * @param apps every app to predict for
   * @param rows runs and given cells, with app indexes into {@code apps}
   * @param soloRates starting solo rate per app index (NaN where unknown)
   * @param features solo features for the apps no run covers (cold start)
   */
  static FactorModel fit(
      List<String> apps,
      List<Row> rows,
      double[] soloRates,
      Map<String, double[]> features,
      FactorModel.Config config) {
    int n = apps.size();
    int k = config.rank();
    int m = rows.size();
    double lambda = config.effectLambda();
    double factorLambda = config.lambda();
    double[] rho = soloRates.clone();
    double[] r = new double[n];
    double[] c = new double[n];
    double[][] u = new double[n][k];
    double[][] v = new double[n][k];
    Random random = new Random(config.seed());
    for (int i = 0; i < n; i++) {
      for (int f = 0; f < k; f++) {
        u[i][f] = random.nextGaussian() * 0.05;
        v[i][f] = random.nextGaussian() * 0.05;
      }
    }
    double mu = 0.6;
    // Per row: S (total share), z (observed loss), residual e = z − ẑ, w = Σ s_b v_b.
    double[] total = new double[m];
    double[] z = new double[m];
    double[] e = new double[m];
    double[][] w = new double[m][k];
    List<List<int[]>> byWith = new ArrayList<>(); // co-tenant → (row, position)
    List<List<Integer>> byApp = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byWith.add(new ArrayList<>());
      byApp.add(new ArrayList<>());
    }
    boolean[] warmRow = new boolean[n];
    boolean[] warmColumn = new boolean[n];
    for (int o = 0; o < m; o++) {
      Row row = rows.get(o);
      byApp.get(row.app()).add(o);
      warmRow[row.app()] = true;
      for (int j = 0; j < row.with().length; j++) {
        total[o] += row.share()[j];
        byWith.get(row.with()[j]).add(new int[] {o, j});
        warmColumn[row.with()[j]] = true;
      }
    }
    // Apps without a starting solo rate start from their fastest run (a lower bound).
    double[] fastest = new double[n];
    for (Row row : rows) {
      if (row.fixedLoss() < 0) {
        fastest[row.app()] = Math.max(fastest[row.app()], row.rate());
      }
    }
    for (int a = 0; a < n; a++) {
      if (!(rho[a] > 0)) {
        rho[a] = fastest[a];
      }
    }
    for (int sweep = 0; sweep < config.iterations(); sweep++) {
      // Recompute residuals from scratch each sweep: cheap, and no drift.
      for (int o = 0; o < m; o++) {
        Row row = rows.get(o);
        z[o] = row.fixedLoss() >= 0 ? row.fixedLoss() : 1 - row.rate() / rho[row.app()];
        double predicted = 0;
        Arrays.fill(w[o], 0);
        for (int j = 0; j < row.with().length; j++) {
          int b = row.with()[j];
          double s = row.share()[j];
          predicted += s * (1 - mu - r[row.app()] - c[b]);
          for (int f = 0; f < k; f++) {
            w[o][f] += s * v[b][f];
          }
        }
        predicted -= dot(u[row.app()], w[o]);
        e[o] = z[o] - predicted;
      }
      // μ: e'_o = e_o + S_o·Δ.
      double num = 0;
      double den = 0;
      for (int o = 0; o < m; o++) {
        num += total[o] * e[o];
        den += total[o] * total[o];
      }
      if (den > 0) {
        double delta = -num / den;
        mu += delta;
        for (int o = 0; o < m; o++) {
          e[o] += total[o] * delta;
        }
      }
      // Row effects and factors, one app at a time (its rows are its own).
      for (int a = 0; a < n; a++) {
        List<Integer> mine = byApp.get(a);
        if (mine.isEmpty()) {
          continue;
        }
        num = lambda * r[a];
        den = lambda;
        for (int o : mine) {
          num += total[o] * e[o];
          den += total[o] * total[o];
        }
        double delta = -num / den;
        r[a] += delta;
        for (int o : mine) {
          e[o] += total[o] * delta;
        }
        if (k > 0) {
          double[][] g = new double[k][k];
          double[] h = new double[k];
          for (int f = 0; f < k; f++) {
            g[f][f] = factorLambda;
            h[f] = factorLambda * u[a][f];
          }
          for (int o : mine) {
            for (int f = 0; f < k; f++) {
              h[f] += w[o][f] * e[o];
              for (int q = 0; q < k; q++) {
                g[f][q] += w[o][f] * w[o][q];
              }
            }
          }
          double[] step = FactorModel.solve(g, h);
          for (int f = 0; f < k; f++) {
            u[a][f] -= step[f];
          }
          for (int o : mine) {
            for (int f = 0; f < k; f++) {
              e[o] -= w[o][f] * step[f];
            }
          }
        }
      }
      // Column effects and factors, one co-tenant at a time.
      for (int b = 0; b < n; b++) {
        List<int[]> seen = byWith.get(b);
        if (seen.isEmpty()) {
          continue;
        }
        num = lambda * c[b];
        den = lambda;
        for (int[] at : seen) {
          double s = rows.get(at[0]).share()[at[1]];
          num += s * e[at[0]];
          den += s * s;
        }
        double delta = -num / den;
        c[b] += delta;
        for (int[] at : seen) {
          e[at[0]] += rows.get(at[0]).share()[at[1]] * delta;
        }
        if (k > 0) {
          double[][] g = new double[k][k];
          double[] h = new double[k];
          for (int f = 0; f < k; f++) {
            g[f][f] = factorLambda;
            h[f] = factorLambda * v[b][f];
          }
          for (int[] at : seen) {
            double s = rows.get(at[0]).share()[at[1]];
            double[] ua = u[rows.get(at[0]).app()];
            for (int f = 0; f < k; f++) {
              h[f] += s * ua[f] * e[at[0]];
              for (int q = 0; q < k; q++) {
                g[f][q] += s * s * ua[f] * ua[q];
              }
            }
          }
          double[] step = FactorModel.solve(g, h);
          for (int f = 0; f < k; f++) {
            v[b][f] -= step[f];
          }
          for (int[] at : seen) {
            double s = rows.get(at[0]).share()[at[1]];
            double[] ua = u[rows.get(at[0]).app()];
            for (int f = 0; f < k; f++) {
              e[at[0]] -= s * ua[f] * step[f];
            }
          }
        }
      }
      // Solo rates: y_o ≈ ρ_a·(1 − ẑ_o), least squares per app.
      double[] xy = new double[n];
      double[] xx = new double[n];
      for (int o = 0; o < m; o++) {
        Row row = rows.get(o);
        if (row.fixedLoss() >= 0) {
          continue;
        }
        double x = 1 - (z[o] - e[o]);
        xy[row.app()] += x * row.rate();
        xx[row.app()] += x * x;
      }
      for (int a = 0; a < n; a++) {
        if (xx[a] > 0 && xy[a] > 0) {
          rho[a] = xy[a] / xx[a];
        }
      }
    }
    double[][] completed = new double[n][n];
    for (int a = 0; a < n; a++) {
      for (int b = 0; b < n; b++) {
        completed[a][b] = mu + r[a] + c[b] + dot(u[a], v[b]);
      }
    }
    // Residual error in throughput units, inflated for the parameters spent.
    double squares = 0;
    double shares = 0;
    for (int o = 0; o < m; o++) {
      squares += e[o] * e[o];
      shares += total[o] * total[o];
    }
    int parameters = 1 + (2 + 2 * k) * n + n;
    double warmError =
        m > parameters && shares > 0
            ? Math.sqrt(squares / shares * m / (m - parameters))
            : VAGUE_ERROR;
    boolean[] coldRow = new boolean[n];
    boolean[] coldColumn = new boolean[n];
    for (int i = 0; i < n; i++) {
      coldRow[i] = !warmRow[i];
      coldColumn[i] = !warmColumn[i];
    }
    return FactorModel.withColdStart(
        apps, completed, Math.max(warmError, 0.01), coldRow, coldColumn, features, config);
  }

  /** The error claimed while runs are too few to estimate one. */
  static final double VAGUE_ERROR = 0.2;

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  /** Index of each name, for building rows. */
  static Map<String, Integer> indexOf(List<String> apps) {
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < apps.size(); i++) {
      index.put(apps.get(i), i);
    }
    return index;
  }
}
