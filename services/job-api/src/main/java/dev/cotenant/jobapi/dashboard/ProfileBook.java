package dev.cotenant.jobapi.dashboard;

import dev.cotenant.events.AppProfile;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The latest profile of each application, as the profiler publishes them on the compacted profiles
 * topic: the interference heatmap's data, measured pairs and predicted ones alike.
 */
public final class ProfileBook {
  private final Map<String, AppProfile> latest = new TreeMap<>();

  public synchronized void accept(List<AppProfile> profiles) {
    for (AppProfile p : profiles) {
      if (p.app() == null || p.time() == null) {
        continue;
      }
      AppProfile old = latest.get(p.app());
      if (old == null || !p.time().isBefore(old.time())) {
        latest.put(p.app(), p);
      }
    }
  }

  /** Every app's latest profile, by app name. */
  public synchronized List<AppProfile> profiles() {
    return List.copyOf(latest.values());
  }
}
