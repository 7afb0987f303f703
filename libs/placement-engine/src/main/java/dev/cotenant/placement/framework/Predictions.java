package dev.cotenant.placement.framework;

import dev.cotenant.interference.AppInfo;
import dev.cotenant.interference.CoLocation;
import dev.cotenant.interference.InterferenceModel;
import dev.cotenant.interference.Prediction;
import dev.cotenant.placement.state.AppIds;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The interference model with its answers cached per (app, with) and per app profile: scoring asks
 * the same pairs over and over. Pairs are cached in a dense table indexed by {@link AppIds}, so a
 * cached look-up is two array reads. One instance per model; the engine makes a new one on {@code
 * setModel}, which drops the cache. Not thread-safe.
 */
public final class Predictions {

  private final InterferenceModel model;
  // pairs[appId][withId], rows and columns grown on demand; null = not asked yet.
  private Prediction[][] pairs = new Prediction[0][];
  private final Map<String, Optional<AppInfo>> profiles = new HashMap<>();

  public Predictions(InterferenceModel model) {
    this.model = model;
  }

  public InterferenceModel model() {
    return model;
  }

  public Prediction predict(String app, String with) {
    return predict(AppIds.of(app), AppIds.of(with));
  }

  /** {@link #predict(String, String)} by interned ids ({@link AppIds}). */
  public Prediction predict(int app, int with) {
    Prediction[][] table = pairs;
    if (app < table.length) {
      Prediction[] row = table[app];
      if (row != null && with < row.length) {
        Prediction p = row[with];
        if (p != null) {
          return p;
        }
      }
    }
    return miss(app, with);
  }

  private Prediction miss(int app, int with) {
    int n = AppIds.count();
    if (app >= pairs.length) {
      pairs = Arrays.copyOf(pairs, n);
    }
    Prediction[] row = pairs[app];
    if (row == null || with >= row.length) {
      row = row == null ? new Prediction[n] : Arrays.copyOf(row, n);
      pairs[app] = row;
    }
    Prediction p = model.predict(AppIds.name(app), AppIds.name(with));
    row[with] = p;
    return p;
  }

  public Optional<AppInfo> profile(String app) {
    return profiles.computeIfAbsent(app, model::profile);
  }

  /** The co-location rule of {@link CoLocation} over cached pairs. */
  public double combinedThroughput(String app, Collection<String> coTenants) {
    return CoLocation.combinedThroughput(app, coTenants, this::predict);
  }

  /** {@link #combinedThroughput(String, Collection)} by interned ids, without allocating. */
  public double combinedThroughput(int app, int[] coTenants) {
    double throughput = 1.0;
    for (int with : coTenants) {
      Prediction p = predict(app, with);
      if (p.isIncompatible()) {
        return 0;
      }
      throughput *= p.normalizedThroughput();
    }
    return throughput;
  }
}
