package dev.cotenant.eval;

import dev.cotenant.interference.AppInfo;
import dev.cotenant.interference.InterferenceModel;
import dev.cotenant.placement.model.RunTimeEstimate;
import dev.cotenant.placement.model.RunTimeEstimate.Source;
import dev.cotenant.sim.workload.DeclaredJob;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * What the engine is told of a job's run time, by {@code --durations}: only what a real cluster
 * has. {@code work}: the job's declared work over its app's solo rate as the engine's knowledge
 * gives it; {@code unknown}: the mean of finished runs of the same app (any app before that, a
 * prior before anything finished). {@code exact} hands over the simulator's truth: an upper bound
 * no scheduler has, kept only to show what the estimates cost.
 *
 * <p>Not thread-safe; one per run.
 */
final class RunTimes {

  /** What jobs declare of their run time. */
  enum Durations {
    exact,
    work,
    unknown
  }

  /**
   * What the engine assumes before any run finished: an hour, sd an hour. A guess at a typical
   * training job, not fitted to any data set; history replaces it after the first finished run.
   */
  static final double PRIOR_SECONDS = 3600;

  private final Durations mode;
  private final Map<String, Stats> byApp = new HashMap<>();
  private final Stats all = new Stats();
  // How far work-based estimates were off, as log(solo-equivalent run / estimate).
  private final Stats workError = new Stats();

  RunTimes(Durations mode) {
    this.mode = mode;
  }

  Durations mode() {
    return mode;
  }

  /**
   * The estimate for one replica of {@code job} ({@code exactSolo} is read in {@code exact} mode
   * only: it is the truth).
   */
  RunTimeEstimate estimate(DeclaredJob job, InterferenceModel knowledge, double exactSolo) {
    if (mode == Durations.exact) {
      return RunTimeEstimate.given(exactSolo);
    }
    if (mode == Durations.work && job.work().isPresent()) {
      OptionalDouble rate = soloRate(knowledge, job.app());
      if (rate.isPresent()) {
        double mean = job.work().getAsDouble() / rate.getAsDouble();
        // Relative error of earlier work-based estimates; none yet: taken as exact.
        double sd = workError.count() > 1 ? mean * workError.sd() : 0;
        return new RunTimeEstimate(mean, sd, Source.WORK);
      }
    }
    Stats app = byApp.get(job.app());
    if (app != null && app.count() > 0) {
      return new RunTimeEstimate(app.mean(), app.sd(), Source.APP_HISTORY);
    }
    if (all.count() > 0) {
      return new RunTimeEstimate(all.mean(), all.sd(), Source.CLUSTER_HISTORY);
    }
    return new RunTimeEstimate(PRIOR_SECONDS, PRIOR_SECONDS, Source.PRIOR);
  }

  /**
   * A replica of {@code app} finished after running the equivalent of {@code soloSeconds} alone
   * (its run time times the throughput the knowledge predicts for its co-tenants), against the
   * {@code estimate} it was placed with.
   */
  void finished(String app, double soloSeconds, RunTimeEstimate estimate) {
    if (!(soloSeconds > 0)) {
      return;
    }
    byApp.computeIfAbsent(app, a -> new Stats()).add(soloSeconds);
    all.add(soloSeconds);
    if (estimate.source() == Source.WORK && estimate.meanSeconds() > 0) {
      workError.add(Math.log(soloSeconds / estimate.meanSeconds()));
    }
  }

  private static OptionalDouble soloRate(InterferenceModel knowledge, String app) {
    OptionalDouble rate =
        knowledge.profile(app).map(AppInfo::soloRate).orElse(OptionalDouble.empty());
    return rate.isPresent() && rate.getAsDouble() > 0 ? rate : OptionalDouble.empty();
  }

  /** Running mean and standard deviation (Welford). */
  private static final class Stats {
    private long n;
    private double mean;
    private double m2;

    void add(double x) {
      n++;
      double d = x - mean;
      mean += d / n;
      m2 += d * (x - mean);
    }

    long count() {
      return n;
    }

    double mean() {
      return mean;
    }

    double sd() {
      return n > 1 ? Math.sqrt(m2 / (n - 1)) : 0;
    }
  }
}
