package dev.cotenant.placement.framework;

import dev.cotenant.interference.AppInfo;
import dev.cotenant.interference.CoLocation;
import dev.cotenant.interference.InterferenceModel;
import dev.cotenant.interference.Prediction;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The interference model with its answers cached per (app, with) and per app profile: scoring asks
 * the same pairs over and over. One instance per model; the engine makes a new one on {@code
 * setModel}, which drops the cache.
 */
public final class Predictions {

  private final InterferenceModel model;
  private final Map<String, Map<String, Prediction>> pairs = new HashMap<>();
  private final Map<String, Optional<AppInfo>> profiles = new HashMap<>();

  public Predictions(InterferenceModel model) {
    this.model = model;
  }

  public InterferenceModel model() {
    return model;
  }

  public Prediction predict(String app, String with) {
    return pairs
        .computeIfAbsent(app, a -> new HashMap<>())
        .computeIfAbsent(with, w -> model.predict(app, w));
  }

  public Optional<AppInfo> profile(String app) {
    return profiles.computeIfAbsent(app, model::profile);
  }

  /** The co-location rule of {@link CoLocation} over cached pairs. */
  public double combinedThroughput(String app, Collection<String> coTenants) {
    return CoLocation.combinedThroughput(app, coTenants, this::predict);
  }
}
