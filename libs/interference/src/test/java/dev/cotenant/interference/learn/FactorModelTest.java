package dev.cotenant.interference.learn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FactorModelTest {

  /** A rank-1-plus-effects truth: sensitivity of a, aggression of b, and a clash term. */
  static double truth(int a, int b) {
    double sensitivity = 0.1 * Math.sin(a);
    double aggression = 0.1 * Math.cos(1.7 * b);
    double clash = 0.15 * Math.sin(0.9 * a) * Math.cos(1.3 * b);
    return 0.6 + sensitivity + aggression + clash;
  }

  static List<String> apps(int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add("app-" + i);
    }
    return out;
  }

  @Test
  void lowRankTermPredictsHiddenPairsThatEffectsAloneMiss() {
    int n = 16;
    List<String> apps = apps(n);
    Random random = new Random(3);
    Map<String, Map<String, Double>> known = new HashMap<>();
    List<int[]> hidden = new ArrayList<>();
    for (int a = 0; a < n; a++) {
      for (int b = 0; b < n; b++) {
        if (random.nextDouble() < 0.2) {
          hidden.add(new int[] {a, b});
        } else {
          known.computeIfAbsent(apps.get(a), k -> new HashMap<>()).put(apps.get(b), truth(a, b));
        }
      }
    }
    FactorModel effects =
        FactorModel.fit(apps, known, Map.of(), FactorModel.Config.defaults().withRank(0));
    FactorModel ours = FactorModel.fit(apps, known, Map.of(), FactorModel.Config.defaults());
    double effectsError = 0;
    double oursError = 0;
    for (int[] h : hidden) {
      double t = truth(h[0], h[1]);
      effectsError += Math.abs(effects.predict(apps.get(h[0]), apps.get(h[1])).throughput() - t);
      oursError += Math.abs(ours.predict(apps.get(h[0]), apps.get(h[1])).throughput() - t);
    }
    effectsError /= hidden.size();
    oursError /= hidden.size();
    assertThat(oursError).as("ours vs effects %s", effectsError).isLessThan(effectsError / 2);
    // The uncertainty is the cross-validated error, of the same order as the real error.
    assertThat(ours.warmError()).isBetween(oursError / 3, oursError * 3);
  }

  static Map<String, Map<String, Double>> measured(
      List<String> apps, java.util.function.IntBinaryOperator keep, Truth truth) {
    Map<String, Map<String, Double>> known = new HashMap<>();
    for (int a = 0; a < apps.size(); a++) {
      for (int b = 0; b < apps.size(); b++) {
        if (keep.applyAsInt(a, b) != 0) {
          known.computeIfAbsent(apps.get(a), k -> new HashMap<>()).put(apps.get(b), truth.of(a, b));
        }
      }
    }
    return known;
  }

  interface Truth {
    double of(int a, int b);
  }

  @Test
  void selectionOnTheKnownPairsFindsTheClashTerm() {
    List<String> apps = apps(16);
    Random random = new Random(5);
    int[][] keep = new int[16][16];
    for (int[] row : keep) {
      for (int b = 0; b < row.length; b++) {
        row[b] = random.nextDouble() < 0.8 ? 1 : 0;
      }
    }
    Map<String, Map<String, Double>> clashing =
        measured(apps, (a, b) -> keep[a][b], FactorModelTest::truth);
    FactorModel.Config chosen = FactorModel.select(apps, clashing, FactorModel.Config.defaults());
    assertThat(chosen.rank()).isPositive();
    // What it chose predicts the pairs it never saw better than row+column effects.
    FactorModel ours = FactorModel.fit(apps, clashing, Map.of(), chosen);
    FactorModel effects =
        FactorModel.fit(apps, clashing, Map.of(), FactorModel.Config.defaults().withRank(0));
    double oursError = 0;
    double effectsError = 0;
    int hidden = 0;
    for (int a = 0; a < 16; a++) {
      for (int b = 0; b < 16; b++) {
        if (keep[a][b] == 0) {
          hidden++;
          oursError += Math.abs(ours.predict(apps.get(a), apps.get(b)).throughput() - truth(a, b));
          effectsError +=
              Math.abs(effects.predict(apps.get(a), apps.get(b)).throughput() - truth(a, b));
        }
      }
    }
    assertThat(oursError / hidden).isLessThan(effectsError / hidden / 2);
    // The grid only: never a value from anywhere else.
    assertThat(FactorModel.LAMBDAS).contains(chosen.lambda());
    assertThat(FactorModel.EFFECT_LAMBDAS).contains(chosen.effectLambda());
  }

  @Test
  void selectionWithTooFewPairsToHoldOutKeepsTheBase() {
    List<String> apps = apps(3);
    Map<String, Map<String, Double>> two = Map.of("app-0", Map.of("app-1", 0.5, "app-2", 0.6));
    FactorModel.Config base = FactorModel.Config.defaults();
    assertThat(FactorModel.select(apps, two, base)).isEqualTo(base);
  }

  @Test
  void coldAppGetsItsRowFromSoloFeaturesAndAWiderUncertainty() {
    int n = 12;
    List<String> apps = apps(n);
    // Sensitivity is a function of a solo feature, so a brand-new app's row follows from it.
    Map<String, double[]> features = new HashMap<>();
    Map<String, Map<String, Double>> known = new HashMap<>();
    for (int a = 0; a < n; a++) {
      features.put(apps.get(a), new double[] {a});
      if (a == 5) {
        continue; // never measured
      }
      for (int b = 0; b < n; b++) {
        if (b != 5) {
          known.computeIfAbsent(apps.get(a), k -> new HashMap<>()).put(apps.get(b), 0.3 + 0.04 * a);
        }
      }
    }
    FactorModel withFeatures =
        FactorModel.fit(apps, known, features, FactorModel.Config.defaults());
    FactorModel without = FactorModel.fit(apps, known, Map.of(), FactorModel.Config.defaults());
    var cold = withFeatures.predict("app-5", "app-2");
    assertThat(cold.throughput()).isCloseTo(0.5, org.assertj.core.data.Offset.offset(0.02));
    assertThat(Math.abs(without.predict("app-5", "app-2").throughput() - 0.5))
        .isGreaterThan(Math.abs(cold.throughput() - 0.5));
    assertThat(cold.uncertainty())
        .isGreaterThanOrEqualTo(withFeatures.predict("app-4", "app-2").uncertainty());
  }

  @Test
  void rankZeroIsRowPlusColumnEffects() {
    List<String> apps = apps(6);
    Map<String, Map<String, Double>> known = new HashMap<>();
    for (int a = 0; a < 6; a++) {
      for (int b = 0; b < 6; b++) {
        if ((a + b) % 4 != 0) {
          known
              .computeIfAbsent(apps.get(a), k -> new HashMap<>())
              .put(apps.get(b), 0.4 + 0.05 * a + 0.03 * b);
        }
      }
    }
    FactorModel effects =
        FactorModel.fit(apps, known, Map.of(), new FactorModel.Config(0, 0.1, 1e-6, 1.0, 50, 0, 1));
    assertThat(effects.predict("app-2", "app-2").throughput())
        .isCloseTo(0.4 + 0.1 + 0.06, org.assertj.core.data.Offset.offset(1e-3));
  }
}
