package dev.cotenant.interference;

/**
 * A model's belief about how one app runs next to another on a shared GPU.
 *
 * @param normalizedThroughput expected rate co-located / rate alone; 0 when incompatible
 * @param uncertainty standard deviation of that belief (0 for a measured pair)
 * @param source where the belief comes from
 */
public record Prediction(double normalizedThroughput, double uncertainty, Source source) {

  public enum Source {
    /** Measured (oracle file, or enough observations). */
    MEASURED,
    /** Predicted from other pairs or the app's solo profile. */
    PREDICTED,
    /** Nothing known about the pair: the model's prior. */
    PRIOR,
    /** The two cannot share a GPU. */
    INCOMPATIBLE
  }

  public Prediction {
    if (!(normalizedThroughput >= 0) || !(uncertainty >= 0)) {
      throw new IllegalArgumentException(
          "throughput and uncertainty must be non-negative, got "
              + normalizedThroughput
              + " ± "
              + uncertainty);
    }
  }

  public static Prediction incompatible() {
    return new Prediction(0, 0, Source.INCOMPATIBLE);
  }

  public boolean isIncompatible() {
    return source == Source.INCOMPATIBLE;
  }

  public boolean isKnown() {
    return source == Source.MEASURED || source == Source.INCOMPATIBLE;
  }
}
