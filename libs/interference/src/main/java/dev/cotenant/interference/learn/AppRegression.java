package dev.cotenant.interference.learn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.DecompositionSolver;
import org.apache.commons.math3.linear.NonPositiveDefiniteMatrixException;

/**
 * What the runs of one app say about its solo rate and its slowdown beside each co-tenant app.
 *
 * <p>A run of work {@code W} in {@code t} seconds, spending share {@code s_b} of it beside {@code
 * b}, progresses on average at {@code W/t = ρ·(1 − Σ_b s_b·(1 − T_b))}: ρ the solo rate and T_b the
 * normalised throughput beside b. With {@code β_b = ρ·(1 − T_b)} that is linear, {@code W/t = ρ −
 * Σ_b s_b·β_b}, so runs with several co-tenants at once fit one linear regression per app. It is
 * exact when co-tenants follow each other and first-order when they overlap (the simulator's
 * product rule gives {@code T_b·T_c} where this gives {@code 1 − (1−T_b) − (1−T_c)}).
 *
 * <p>Bayesian ridge: each β_b starts from a prior ({@code ρ·(1 − T0) ± ρ·sd0}, T0 from the
 * predictor), ρ from a weak one, so an app seen only beside one co-tenant still gets sane values.
 * Only sufficient statistics are kept (XᵀX, Xᵀy, count): an observation costs O(k²) for k
 * co-tenants, and a solve O(p³) for the p co-tenant apps seen so far.
 */
final class AppRegression {

  /** A solved pair: T(app|with) and its standard deviation. */
  record Pair(double throughput, double uncertainty, long count, long oomCount) {}

  record Solution(double soloRate, double soloRateSd, Map<String, Pair> pairs) {}

  private final Map<String, Integer> index = new HashMap<>();
  private final List<String> coApps = new ArrayList<>();
  private double[][] xtx = new double[1][1];
  private double[] xty = new double[1];
  private long count;
  private double maxRate;
  private final Map<String, long[]> pairCounts = new HashMap<>(); // with → {runs beside, OOM runs}

  long count() {
    return count;
  }

  void add(Observation o) {
    Map<String, Double> shares = o.gpuShares();
    if (o.oomKilled()) {
      // An OOM beside exactly one app blames that app; beside several it blames no one in
      // particular.
      if (shares.size() == 1) {
        pairCounts.computeIfAbsent(shares.keySet().iterator().next(), k -> new long[2])[1]++;
      }
      return;
    }
    double y = o.work().orElse(1.0) / o.runSeconds();
    int[] cols = new int[shares.size() + 1];
    double[] x = new double[shares.size() + 1];
    cols[0] = 0;
    x[0] = 1;
    int k = 1;
    for (var e : shares.entrySet()) {
      if (e.getValue() <= 0) {
        continue;
      }
      cols[k] = column(e.getKey());
      x[k] = -e.getValue();
      pairCounts.computeIfAbsent(e.getKey(), key -> new long[2])[0]++;
      k++;
    }
    for (int a = 0; a < k; a++) {
      xty[cols[a]] += x[a] * y;
      for (int b = 0; b < k; b++) {
        xtx[cols[a]][cols[b]] += x[a] * x[b];
      }
    }
    count++;
    maxRate = Math.max(maxRate, y);
  }

  private int column(String with) {
    Integer existing = index.get(with);
    if (existing != null) {
      return existing;
    }
    int column = coApps.size() + 1;
    index.put(with, column);
    coApps.add(with);
    int p = column + 1;
    double[][] grown = new double[p][p];
    for (int i = 0; i < xtx.length; i++) {
      System.arraycopy(xtx[i], 0, grown[i], 0, xtx.length);
    }
    xtx = grown;
    xty = Arrays.copyOf(xty, p);
    return column;
  }

  /**
   * Posterior solo rate and pair throughputs.
   *
   * @param prior T0 ± sd0 for a pair, the predictor's belief before these runs
   * @param noise relative standard deviation of one run's mean rate (run-to-run noise)
   * @param startRate the solo rate the prior scales with, when a recent solve knows it (one pass);
   *     NaN to start from the fastest run (two passes, a function of the data alone)
   */
  Solution solve(Function<String, FactorModel.Estimate> prior, double noise, double startRate) {
    Map<String, Pair> pairs = new HashMap<>();
    if (count == 0) {
      pairCounts.forEach(
          (with, c) -> pairs.put(with, new Pair(Double.NaN, Double.NaN, c[0], c[1])));
      return new Solution(Double.NaN, Double.NaN, pairs);
    }
    int p = coApps.size() + 1;
    double[] t0 = new double[p];
    double[] sd0 = new double[p];
    for (int j = 1; j < p; j++) {
      FactorModel.Estimate e = prior.apply(coApps.get(j - 1));
      t0[j] = e.throughput();
      sd0[j] = Math.max(0.02, e.uncertainty());
    }
    boolean known = startRate > 0;
    double rho = known ? startRate : maxRate;
    double[] theta = new double[p];
    double[][] covariance = new double[p][p];
    // The prior on β scales with ρ: without a recent estimate, a first pass finds it.
    int passes = known ? 1 : 2;
    for (int pass = 0; pass < passes; pass++) {
      double sigma = noise * rho;
      double[][] a = new double[p][p];
      double[] b = new double[p];
      for (int i = 0; i < p; i++) {
        for (int j = 0; j < p; j++) {
          a[i][j] = xtx[i][j] / (sigma * sigma);
        }
        b[i] = xty[i] / (sigma * sigma);
      }
      double rhoSd = rho; // weak: ρ is pinned by the data, not the prior
      a[0][0] += 1 / (rhoSd * rhoSd);
      b[0] += rho / (rhoSd * rhoSd);
      for (int j = 1; j < p; j++) {
        double sd = rho * sd0[j];
        a[j][j] += 1 / (sd * sd);
        b[j] += rho * (1 - t0[j]) / (sd * sd);
      }
      DecompositionSolver solver;
      try {
        solver = new CholeskyDecomposition(new Array2DRowRealMatrix(a, false)).getSolver();
      } catch (NonPositiveDefiniteMatrixException e) {
        return new Solution(rho, rho, pairs);
      }
      if (pass < passes - 1) {
        // Only ρ is needed from this pass: a solve, not the O(p³) inverse.
        theta =
            solver.solve(new org.apache.commons.math3.linear.ArrayRealVector(b, false)).toArray();
      } else {
        covariance = solver.getInverse().getData();
        for (int i = 0; i < p; i++) {
          double s = 0;
          for (int j = 0; j < p; j++) {
            s += covariance[i][j] * b[j];
          }
          theta[i] = s;
        }
      }
      if (!(theta[0] > 0)) {
        break;
      }
      rho = theta[0];
    }
    for (int j = 1; j < p; j++) {
      String with = coApps.get(j - 1);
      long[] c = pairCounts.get(with);
      double beta = theta[j];
      // Delta method for T = 1 − β/ρ.
      double dRho = beta / (rho * rho);
      double dBeta = -1 / rho;
      double variance =
          dBeta * dBeta * covariance[j][j]
              + dRho * dRho * covariance[0][0]
              + 2 * dBeta * dRho * covariance[0][j];
      pairs.put(with, new Pair(1 - beta / rho, Math.sqrt(Math.max(0, variance)), c[0], c[1]));
    }
    pairCounts.forEach(
        (with, c) -> pairs.putIfAbsent(with, new Pair(Double.NaN, Double.NaN, c[0], c[1])));
    return new Solution(rho, Math.sqrt(Math.max(0, covariance[0][0])), pairs);
  }
}
