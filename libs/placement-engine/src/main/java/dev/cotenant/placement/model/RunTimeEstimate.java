package dev.cotenant.placement.model;

/**
 * What the engine expects of a replica's run time alone: a mean and its standard deviation, and
 * where the figure came from. Never a truth: a real cluster only has declared work, solo rates and
 * the history of finished runs.
 *
 * @param meanSeconds expected solo run time, finite and &ge; 0
 * @param sdSeconds its uncertainty, finite and &ge; 0 (0: taken as given)
 * @param source how it was estimated
 */
public record RunTimeEstimate(double meanSeconds, double sdSeconds, Source source) {

  /** Where an estimate comes from, from most to least informed. */
  public enum Source {
    /** Told outright: the evaluation's upper bound, or a caller that knows. */
    GIVEN,
    /** The job's declared work over its app's solo rate. */
    WORK,
    /** Finished runs of the same app. */
    APP_HISTORY,
    /** Finished runs of any app. */
    CLUSTER_HISTORY,
    /** Nothing known yet: a prior. */
    PRIOR
  }

  public RunTimeEstimate {
    if (!(meanSeconds >= 0) || Double.isInfinite(meanSeconds)) {
      throw new IllegalArgumentException(
          "meanSeconds must be a finite number >= 0, got " + meanSeconds);
    }
    if (!(sdSeconds >= 0) || Double.isInfinite(sdSeconds)) {
      throw new IllegalArgumentException(
          "sdSeconds must be a finite number >= 0, got " + sdSeconds);
    }
    if (source == null) {
      throw new IllegalArgumentException("source must be given");
    }
  }

  /** A run time taken as given. */
  public static RunTimeEstimate given(double seconds) {
    return new RunTimeEstimate(seconds, 0, Source.GIVEN);
  }

  /** The same estimate for {@code 1/n} of the work (a right-sized replica's share). */
  public RunTimeEstimate divided(int n) {
    return new RunTimeEstimate(meanSeconds / n, sdSeconds / n, source);
  }
}
