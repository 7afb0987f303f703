package dev.cotenant.interference;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The content of an interference file: the apps of one device and the ordered pairs measured (or
 * predicted) for them. Immutable; lookups are by hash.
 */
public final class InterferenceMatrix {

  private final String device;
  private final Map<String, AppInfo> apps;
  private final Map<PairKey, PairEntry> pairs;

  public InterferenceMatrix(String device, List<AppInfo> apps, List<PairEntry> pairs) {
    if (device == null || device.isBlank()) {
      throw new IllegalArgumentException("device must not be blank");
    }
    this.device = device;
    Map<String, AppInfo> byName = new LinkedHashMap<>();
    for (AppInfo app : apps) {
      if (byName.putIfAbsent(app.name(), app) != null) {
        throw new IllegalArgumentException("app '" + app.name() + "' is listed twice");
      }
    }
    Map<PairKey, PairEntry> byPair = new LinkedHashMap<>();
    for (PairEntry pair : pairs) {
      for (String name : List.of(pair.app(), pair.with())) {
        if (!byName.containsKey(name)) {
          throw new IllegalArgumentException(
              "pair " + pair.app() + " with " + pair.with() + " names unlisted app '" + name + "'");
        }
      }
      if (byPair.putIfAbsent(new PairKey(pair.app(), pair.with()), pair) != null) {
        throw new IllegalArgumentException(
            "pair " + pair.app() + " with " + pair.with() + " is listed twice");
      }
    }
    this.apps = Collections.unmodifiableMap(byName);
    this.pairs = Collections.unmodifiableMap(byPair);
  }

  public String device() {
    return device;
  }

  /** Apps in file order. */
  public List<AppInfo> apps() {
    return List.copyOf(apps.values());
  }

  /** Pairs in file order. */
  public List<PairEntry> pairs() {
    return List.copyOf(pairs.values());
  }

  public Optional<AppInfo> app(String name) {
    return Optional.ofNullable(apps.get(name));
  }

  public Optional<PairEntry> pair(String app, String with) {
    return Optional.ofNullable(pairs.get(new PairKey(app, with)));
  }

  /** This matrix without the given ordered pairs (for hiding pairs from a model). */
  public InterferenceMatrix without(java.util.Set<PairKey> hidden) {
    List<PairEntry> kept = new ArrayList<>();
    for (var e : pairs.entrySet()) {
      if (!hidden.contains(e.getKey())) {
        kept.add(e.getValue());
      }
    }
    return new InterferenceMatrix(device, apps(), kept);
  }

  /** An ordered pair of app names. */
  public record PairKey(String app, String with) {}
}
