package dev.cotenant.profiler.mapping;

import dev.cotenant.events.AppProfile;
import dev.cotenant.events.EventJson;
import dev.cotenant.interference.AppInfo;
import dev.cotenant.interference.InterferenceMatrix;
import dev.cotenant.interference.PairEntry;
import dev.cotenant.interference.learn.LearnedModel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/** The model's view of one app as the {@link AppProfile} event placement consumes. */
public final class ProfileMapper {
  /** Values are published to 4 decimals: finer changes are noise, not news for placement. */
  private static final double SCALE = 1e4;

  private ProfileMapper() {}

  /**
   * @param matrix {@code model.toMatrix(device)}, taken once for all apps of one publication
   * @param pairs {@link #pairsByApp} of that matrix, grouped once for all apps
   */
  public static AppProfile profile(
      LearnedModel model,
      InterferenceMatrix matrix,
      Map<String, List<AppProfile.PairEstimate>> pairs,
      String app,
      String eventId,
      Instant time) {
    AppInfo info = matrix.app(app).or(() -> model.profile(app)).orElse(AppInfo.named(app));
    return new AppProfile(
        eventId,
        time,
        app,
        model.observations(app),
        round(model.soloSeconds(app)),
        Math.round(info.gpuMemoryMiB().orElse(0)),
        round(info.smActivity().orElse(0)),
        round(info.dramActivity().orElse(0)),
        pairs.getOrDefault(app, List.of()));
  }

  /** One estimate per co-tenant app the model has a belief about. */
  public static List<AppProfile.PairEstimate> pairs(InterferenceMatrix matrix, String app) {
    return pairsByApp(matrix).getOrDefault(app, List.of());
  }

  /** Every app's estimates in one pass over the matrix (a publication covers all apps). */
  public static Map<String, List<AppProfile.PairEstimate>> pairsByApp(InterferenceMatrix matrix) {
    Map<String, List<AppProfile.PairEstimate>> byApp = new HashMap<>();
    for (PairEntry p : matrix.pairs()) {
      byApp
          .computeIfAbsent(p.app(), a -> new ArrayList<>())
          .add(
              new AppProfile.PairEstimate(
                  p.with(),
                  round(p.normalizedThroughput().orElse(0)),
                  round(p.evidence().uncertainty().orElse(0)),
                  p.evidence().count(),
                  p.evidence().predicted(),
                  p.incompatible()));
    }
    return byApp;
  }

  /**
   * What identifies a profile's content (all but its event id and time), as a SHA-256: equal
   * fingerprints mean publishing again would tell placement nothing new.
   */
  public static String fingerprint(AppProfile p) {
    AppProfile content =
        new AppProfile(
            "",
            Instant.EPOCH,
            p.app(),
            p.observations(),
            p.soloSeconds(),
            p.gpuMemoryMiB(),
            p.smActivity(),
            p.dramActivity(),
            p.pairs());
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(EventJson.toBytes(content));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  static double round(double v) {
    return Math.round(v * SCALE) / SCALE;
  }

  static OptionalDouble round(OptionalDouble v) {
    return v.isPresent() ? OptionalDouble.of(round(v.getAsDouble())) : OptionalDouble.empty();
  }
}
