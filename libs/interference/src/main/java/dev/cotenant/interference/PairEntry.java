package dev.cotenant.interference;

import java.util.OptionalDouble;

/**
 * One ordered pair of the matrix: how {@code app} runs while sharing a GPU with {@code with}.
 *
 * @param app the application whose rate is measured
 * @param with its co-tenant on the same GPU
 * @param normalizedThroughput rate of {@code app} co-located divided by its rate alone, in (0,
 *     1.5]; absent for incompatible pairs
 * @param incompatible the two cannot share a GPU (one of them fails, as seed 001's OOM pairs)
 * @param evidence how the value is known; {@link Evidence#GIVEN} for a hand-written matrix
 */
public record PairEntry(
    String app,
    String with,
    OptionalDouble normalizedThroughput,
    boolean incompatible,
    Evidence evidence) {

  /**
   * Where a pair's value comes from, written by a learned model so readers can tell a measured cell
   * from a predicted one.
   *
   * @param predicted never observed: filled by the predictor
   * @param count observations behind the value (0 when given or predicted)
   * @param uncertainty standard deviation of the value, when the writer knows it
   */
  public record Evidence(boolean predicted, long count, OptionalDouble uncertainty) {
    public static final Evidence GIVEN = new Evidence(false, 0, OptionalDouble.empty());

    public Evidence {
      if (count < 0) {
        throw new IllegalArgumentException("count must be non-negative, got " + count);
      }
      if (uncertainty.isPresent() && !(uncertainty.getAsDouble() >= 0)) {
        throw new IllegalArgumentException(
            "uncertainty must be non-negative, got " + uncertainty.getAsDouble());
      }
    }

    public static Evidence measured(long count, double uncertainty) {
      return new Evidence(false, count, OptionalDouble.of(uncertainty));
    }

    public static Evidence predicted(double uncertainty) {
      return new Evidence(true, 0, OptionalDouble.of(uncertainty));
    }
  }

  public PairEntry(
      String app, String with, OptionalDouble normalizedThroughput, boolean incompatible) {
    this(app, with, normalizedThroughput, incompatible, Evidence.GIVEN);
  }

  /** Throughputs above 1 happen (caching effects, noise); beyond this it is a typo. */
  public static final double MAX_THROUGHPUT = 1.5;

  public PairEntry {
    java.util.Objects.requireNonNull(evidence, "evidence");
    if (app == null || app.isBlank() || with == null || with.isBlank()) {
      throw new IllegalArgumentException("pair app and with must not be blank");
    }
    if (incompatible && normalizedThroughput.isPresent()) {
      throw new IllegalArgumentException(
          "pair " + app + " with " + with + " is incompatible and must not have a throughput");
    }
    if (!incompatible) {
      if (normalizedThroughput.isEmpty()) {
        throw new IllegalArgumentException(
            "pair " + app + " with " + with + " needs normalizedThroughput or incompatible");
      }
      double t = normalizedThroughput.getAsDouble();
      if (!(t > 0 && t <= MAX_THROUGHPUT)) {
        throw new IllegalArgumentException(
            "normalizedThroughput of " + app + " with " + with + " must be in (0, 1.5], got " + t);
      }
    }
  }

  public static PairEntry measured(String app, String with, double normalizedThroughput) {
    return new PairEntry(app, with, OptionalDouble.of(normalizedThroughput), false);
  }

  public static PairEntry incompatible(String app, String with) {
    return new PairEntry(app, with, OptionalDouble.empty(), true);
  }
}
