package dev.cotenant.interference;

import java.util.Collection;
import java.util.Optional;

/**
 * What the placement engine scores with: per ordered pair of apps, how much one slows the other on
 * a shared GPU, with an uncertainty, and each app's solo profile. The oracle ({@link MatrixModel})
 * reads an interference file; a learned model fills the same interface from observed runs.
 *
 * <p>Implementations must be cheap to call (the engine asks per candidate GPU) and safe to read
 * from one thread while nothing writes.
 */
public interface InterferenceModel {

  /** How {@code app} runs while sharing a GPU with {@code with}. */
  Prediction predict(String app, String with);

  /** The solo profile of {@code app}, when one is known. */
  Optional<AppInfo> profile(String app);

  /**
   * Expected rate of {@code app} with all of {@code coTenants} on its GPU, relative to alone: the
   * co-location rule applied to this model's pairwise predictions.
   */
  default double combinedThroughput(String app, Collection<String> coTenants) {
    return CoLocation.combinedThroughput(app, coTenants, this::predict);
  }
}
