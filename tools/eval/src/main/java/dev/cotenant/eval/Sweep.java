package dev.cotenant.eval;

import dev.cotenant.eval.EvalCommand.Knowledge;
import dev.cotenant.eval.RunTimes.Durations;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.apache.commons.math3.stat.StatUtils;
import org.apache.commons.math3.stat.descriptive.moment.StandardDeviation;

/**
 * The grid of {@code cotenant eval sweep}: which runs it takes and what they add up to. Every
 * policy runs once per cell and seed, the oblivious ones too: they neither know interference nor
 * read run times, but a pod of theirs that is OOM-killed is retried through interference-aware with
 * the cell's knowledge and estimates (as the placement service retries it), so on gavel-k80 their
 * figures move with both.
 */
public final class Sweep {
  public static final String AWARE = "interference-aware";

  /** A device and a load: the scenario a cell's runs are taken on. */
  public record Regime(String device, double load) {
    public String scenario() {
      return "gavel-" + device;
    }
  }

  /** One cell of the table: a regime and what interference-aware knows and is told. */
  public record Cell(Regime regime, Durations durations, Knowledge knowledge) {
    public String label() {
      return regime.device() + " load " + regime.load() + " " + durations + " " + knowledge;
    }
  }

  /** One run of the engine and simulator. */
  public record Run(Cell cell, String policy, long seed) {}

  /** Mean and sample standard deviation over seeds of each policy's mean JCT, and the gain. */
  public record CellResult(
      Cell cell,
      Map<String, Double> meanJct,
      Map<String, Double> meanJctSd,
      String bestOblivious,
      double gainPercent,
      double gainPercentSd) {}

  private final List<Regime> regimes;
  private final List<Durations> durations;
  private final List<Knowledge> knowledge;
  private final List<Long> seeds;
  private final List<String> oblivious;

  public Sweep(
      List<String> devices,
      List<Double> loads,
      List<Durations> durations,
      List<Knowledge> knowledge,
      List<Long> seeds,
      List<String> oblivious) {
    if (devices.isEmpty()
        || loads.isEmpty()
        || durations.isEmpty()
        || knowledge.isEmpty()
        || seeds.isEmpty()
        || oblivious.isEmpty()) {
      throw new IllegalArgumentException("every dimension of the sweep needs at least one value");
    }
    List<Regime> rs = new ArrayList<>();
    for (String d : devices) {
      for (double l : loads) {
        rs.add(new Regime(d, l));
      }
    }
    this.regimes = List.copyOf(rs);
    this.durations = List.copyOf(durations);
    this.knowledge = List.copyOf(knowledge);
    this.seeds = List.copyOf(seeds);
    this.oblivious = List.copyOf(oblivious);
  }

  public List<Cell> cells() {
    List<Cell> cells = new ArrayList<>();
    for (Regime r : regimes) {
      for (Durations d : durations) {
        for (Knowledge k : knowledge) {
          cells.add(new Cell(r, d, k));
        }
      }
    }
    return cells;
  }

  public List<String> oblivious() {
    return oblivious;
  }

  /** Every run the sweep takes. */
  public List<Run> runs() {
    List<Run> runs = new ArrayList<>();
    for (Cell c : cells()) {
      for (long seed : seeds) {
        for (String p : oblivious) {
          runs.add(new Run(c, p, seed));
        }
        runs.add(new Run(c, AWARE, seed));
      }
    }
    return runs;
  }

  /**
   * The table from each run's mean JCT. The best oblivious policy of a cell is the one with the
   * lowest mean over seeds; the gain is interference-aware's per seed against that policy on the
   * same seed, {@code 100 × (1 − aware / best)}, then mean and sd over seeds.
   */
  public List<CellResult> results(Map<Run, Double> meanJct) {
    List<CellResult> out = new ArrayList<>();
    for (Cell c : cells()) {
      Map<String, double[]> perSeed = new LinkedHashMap<>();
      for (String p : oblivious) {
        perSeed.put(p, bySeed(meanJct, c, p));
      }
      perSeed.put(AWARE, bySeed(meanJct, c, AWARE));
      Map<String, Double> mean = new LinkedHashMap<>();
      Map<String, Double> sd = new LinkedHashMap<>();
      perSeed.forEach(
          (p, v) -> {
            mean.put(p, mean(v));
            sd.put(p, sd(v));
          });
      String best = oblivious.get(0);
      for (String p : oblivious) {
        if (mean.get(p) < mean.get(best)) {
          best = p;
        }
      }
      double[] bestRuns = perSeed.get(best);
      double[] aware = perSeed.get(AWARE);
      double[] gain = new double[seeds.size()];
      for (int i = 0; i < gain.length; i++) {
        gain[i] = 100 * (1 - aware[i] / bestRuns[i]);
      }
      out.add(new CellResult(c, mean, sd, best, mean(gain), sd(gain)));
    }
    return out;
  }

  /**
   * Learned against oracle knowledge for each regime and durations both were run with: {@code 100 ×
   * (learned / oracle − 1)} of interference-aware's mean JCT over seeds.
   */
  public static OptionalDouble learnedOverOracle(List<CellResult> results, Cell learned) {
    Double l = null;
    Double o = null;
    for (CellResult r : results) {
      if (r.cell().regime().equals(learned.regime())
          && r.cell().durations() == learned.durations()) {
        if (r.cell().knowledge() == Knowledge.learned) {
          l = r.meanJct().get(AWARE);
        } else if (r.cell().knowledge() == Knowledge.oracle) {
          o = r.meanJct().get(AWARE);
        }
      }
    }
    return l == null || o == null ? OptionalDouble.empty() : OptionalDouble.of(100 * (l / o - 1));
  }

  private double[] bySeed(Map<Run, Double> meanJct, Cell cell, String policy) {
    double[] v = new double[seeds.size()];
    for (int i = 0; i < v.length; i++) {
      Double x = meanJct.get(new Run(cell, policy, seeds.get(i)));
      if (x == null) {
        throw new IllegalArgumentException(
            "no result for " + policy + " in " + cell.label() + ", seed " + seeds.get(i));
      }
      v[i] = x;
    }
    return v;
  }

  static double mean(double[] v) {
    return StatUtils.mean(v);
  }

  /** Sample standard deviation (0 for one value). */
  static double sd(double[] v) {
    return v.length < 2 ? 0 : new StandardDeviation(true).evaluate(v);
  }
}
