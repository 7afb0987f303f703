package dev.cotenant.bench;

import dev.cotenant.interference.AppInfo;
import dev.cotenant.interference.InterferenceMatrix;
import dev.cotenant.interference.PairEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.SplittableRandom;

/**
 * A matrix of many more apps than the measured ones (Gavel's 26), for the shared steady state: each
 * app has a sensitivity and a pressure on compute and on memory bandwidth, and an app's normalised
 * throughput beside another is what its sensitivity leaves of the other's pressure, plus noise.
 * Asymmetric like the measured data (a heavy app hurts a light one more than the reverse), in the
 * same range (about 0.3–1.0). A benchmark input, not a model of any device: what is timed is the
 * engine's work per decision, which depends on how many distinct tenant mixes it must score.
 */
public final class SyntheticApps {
  private SyntheticApps() {}

  public static InterferenceMatrix matrix(int apps, long seed) {
    if (apps < 2) {
      throw new IllegalArgumentException("apps must be >= 2, got " + apps);
    }
    SplittableRandom random = new SplittableRandom(seed);
    double[] sensitivity = new double[apps];
    double[] compute = new double[apps];
    double[] memory = new double[apps];
    List<AppInfo> infos = new ArrayList<>(apps);
    for (int i = 0; i < apps; i++) {
      sensitivity[i] = 0.3 + 0.7 * random.nextDouble();
      compute[i] = random.nextDouble();
      memory[i] = random.nextDouble();
      infos.add(
          new AppInfo(
              name(i),
              OptionalDouble.of(1 + 9 * random.nextDouble()),
              OptionalDouble.empty(),
              OptionalDouble.of(30 + 70 * compute[i]),
              OptionalDouble.empty()));
    }
    List<PairEntry> pairs = new ArrayList<>(apps * apps);
    for (int i = 0; i < apps; i++) {
      for (int j = 0; j < apps; j++) {
        double pressure = 0.45 * compute[j] + 0.35 * memory[j];
        double t = 1 - sensitivity[i] * pressure + 0.03 * random.nextGaussian();
        pairs.add(
            new PairEntry(
                name(i),
                name(j),
                OptionalDouble.of(Math.max(0.25, Math.min(1.0, t))),
                false,
                PairEntry.Evidence.GIVEN));
      }
    }
    return new InterferenceMatrix("synthetic", infos, pairs);
  }

  static String name(int i) {
    return String.format("app-%03d", i);
  }
}
