package dev.cotenant.placement.mapping;

import dev.cotenant.events.AppProfile;
import dev.cotenant.interference.AppInfo;
import dev.cotenant.interference.InterferenceMatrix;
import dev.cotenant.interference.InterferenceModel;
import dev.cotenant.interference.MatrixModel;
import dev.cotenant.interference.PairEntry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The engine's model from the profiler's profiles, on top of an optional interference file: a pair
 * the profiler has a belief about replaces the file's, an app it profiled replaces the file's solo
 * profile, and everything else of the file stays.
 */
public final class ProfileModel {
  private ProfileModel() {}

  public static InterferenceModel of(InterferenceMatrix base, Collection<AppProfile> profiles) {
    return of(base, profiles, java.util.Set.of());
  }

  /**
   * @param incompatible pairs seen to overflow a card's memory together here (OOM kills): they stay
   *     apart whatever the profiles say until the profiler learns it too
   */
  public static InterferenceModel of(
      InterferenceMatrix base,
      Collection<AppProfile> profiles,
      java.util.Set<InterferenceMatrix.PairKey> incompatible) {
    Map<String, AppInfo> apps = new LinkedHashMap<>();
    base.apps().forEach(a -> apps.put(a.name(), a));
    Map<InterferenceMatrix.PairKey, PairEntry> pairs = new LinkedHashMap<>();
    base.pairs().forEach(p -> pairs.put(new InterferenceMatrix.PairKey(p.app(), p.with()), p));
    for (AppProfile profile : profiles) {
      if (profile.app() == null || profile.app().isBlank()) {
        continue; // AppInfo refuses a blank name: one bad profile must not stop every model update
      }
      AppInfo known = apps.get(profile.app());
      apps.put(profile.app(), info(profile, known));
      for (AppProfile.PairEstimate pair : profile.pairs()) {
        if (pair.with() == null || pair.with().isBlank()) {
          continue; // as entry() leaves it out; AppInfo.named would throw
        }
        apps.putIfAbsent(pair.with(), AppInfo.named(pair.with()));
        entry(profile.app(), pair)
            .ifPresent(e -> pairs.put(new InterferenceMatrix.PairKey(e.app(), e.with()), e));
      }
    }
    for (InterferenceMatrix.PairKey k : incompatible) {
      apps.putIfAbsent(k.app(), AppInfo.named(k.app()));
      apps.putIfAbsent(k.with(), AppInfo.named(k.with()));
      pairs.put(k, PairEntry.incompatible(k.app(), k.with()));
    }
    return new MatrixModel(
        new InterferenceMatrix(
            base.device(), List.copyOf(apps.values()), new ArrayList<>(pairs.values())));
  }

  private static AppInfo info(AppProfile p, AppInfo known) {
    AppInfo k = known == null ? AppInfo.named(p.app()) : known;
    return new AppInfo(
        p.app(),
        k.soloRate(),
        p.gpuMemoryMiB() > 0 ? OptionalDouble.of(p.gpuMemoryMiB()) : k.gpuMemoryMiB(),
        k.gpuUtilPercent(),
        k.cpuMilli(),
        ratio(p.smActivity()).isPresent() ? ratio(p.smActivity()) : k.smActivity(),
        ratio(p.dramActivity()).isPresent() ? ratio(p.dramActivity()) : k.dramActivity());
  }

  private static OptionalDouble ratio(double v) {
    return v > 0 && v <= 1 ? OptionalDouble.of(v) : OptionalDouble.empty();
  }

  /** A profile's pair as a matrix entry; a value the matrix cannot hold is left out. */
  static java.util.Optional<PairEntry> entry(String app, AppProfile.PairEstimate pair) {
    if (pair.with() == null || pair.with().isBlank()) {
      return java.util.Optional.empty();
    }
    PairEntry.Evidence evidence =
        pair.predicted()
            ? PairEntry.Evidence.predicted(Math.max(0, pair.uncertainty()))
            : PairEntry.Evidence.measured(
                Math.max(0, pair.count()), Math.max(0, pair.uncertainty()));
    if (pair.incompatible()) {
      return java.util.Optional.of(
          new PairEntry(app, pair.with(), OptionalDouble.empty(), true, evidence));
    }
    double t = pair.normalizedThroughput();
    if (!(t > 0)) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(
        new PairEntry(
            app,
            pair.with(),
            OptionalDouble.of(Math.min(PairEntry.MAX_THROUGHPUT, t)),
            false,
            evidence));
  }
}
