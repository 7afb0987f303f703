package dev.cotenant.interference.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import dev.cotenant.interference.InterferenceMatrix;
import dev.cotenant.interference.PairEntry;
import dev.cotenant.interference.Prediction;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LearnedModelTest {

  static final int APPS = 8;

  static String app(int i) {
    return "app-" + i;
  }

  static double truth(int a, int b) {
    return FactorModelTest.truth(a, b);
  }

  static double solo(int a) {
    return 600 + 100 * a;
  }

  /**
   * A run of app a beside 1-3 co-tenants one after another (shares sum to at most 1): the time the
   * model's rate law gives, with a little noise.
   */
  static Observation run(Random random, int a, double noise) {
    int k = 1 + random.nextInt(3);
    Map<String, Double> shares = new HashMap<>();
    double left = 1;
    double loss = 0;
    for (int i = 0; i < k; i++) {
      int b = random.nextInt(APPS);
      double s = left * random.nextDouble();
      if (shares.containsKey(app(b))) {
        continue;
      }
      shares.put(app(b), s);
      left -= s;
      loss += s * (1 - truth(a, b));
    }
    double seconds = solo(a) / (1 - loss) * (1 + noise * random.nextGaussian());
    return Observation.completed(app(a), seconds, shares);
  }

  @Test
  void recoversSoloTimesAndAsymmetricPairsFromRunsWithSeveralCoTenants() {
    LearnedModel model = new LearnedModel(LearnedModel.Config.defaults().withRefitEvery(50));
    Random random = new Random(11);
    for (int i = 0; i < 3000; i++) {
      model.observe(run(random, random.nextInt(APPS), 0.01));
    }
    model.refit();
    for (int a = 0; a < APPS; a++) {
      assertThat(model.soloSeconds(app(a)).getAsDouble())
          .isCloseTo(solo(a), offset(solo(a) * 0.02));
      for (int b = 0; b < APPS; b++) {
        Prediction p = model.predict(app(a), app(b));
        assertThat(p.normalizedThroughput())
            .as("T(%s|%s)", app(a), app(b))
            .isCloseTo(truth(a, b), offset(0.03));
        assertThat(p.source()).isEqualTo(Prediction.Source.MEASURED);
        assertThat(p.uncertainty()).isLessThan(0.05);
      }
    }
    // Asymmetric: app-1 with app-6 differs from app-6 with app-1, and the model says so.
    assertThat(Math.abs(truth(1, 6) - truth(6, 1))).isGreaterThan(0.05);
    assertThat(model.predict(app(1), app(6)).normalizedThroughput())
        .isCloseTo(truth(1, 6), offset(0.03));
  }

  @Test
  void pairNeverSeenIsPredictedWithAnUncertainty() {
    LearnedModel model = new LearnedModel(LearnedModel.Config.defaults().withRefitEvery(100));
    Random random = new Random(5);
    int kept = 0;
    while (kept < 3000) {
      Observation o = run(random, random.nextInt(APPS), 0.0);
      if (o.app().equals(app(2)) && o.gpuShares().containsKey(app(3))) {
        continue; // app-2 is never seen beside app-3
      }
      model.observe(o);
      kept++;
    }
    model.refit();
    Prediction p = model.predict(app(2), app(3));
    assertThat(p.source()).isEqualTo(Prediction.Source.PREDICTED);
    assertThat(p.normalizedThroughput()).isCloseTo(truth(2, 3), offset(0.06));
    assertThat(p.uncertainty()).isGreaterThan(0);
    InterferenceMatrix written = model.toMatrix("p100");
    PairEntry entry = written.pair(app(2), app(3)).orElseThrow();
    assertThat(entry.evidence().predicted()).isTrue();
    assertThat(written.pair(app(2), app(4)).orElseThrow().evidence().count()).isPositive();
  }

  @Test
  void emptyModelAnswersThePrior() {
    LearnedModel model = new LearnedModel();
    assertThat(model.predict("a", "b").source()).isEqualTo(Prediction.Source.PRIOR);
    assertThat(model.soloSeconds("a")).isEmpty();
    assertThat(model.toMatrix("gpu").pairs()).isEmpty();
  }

  @Test
  void outOfMemoryBesideOneAppMakesThePairIncompatible() {
    LearnedModel model = new LearnedModel();
    model.observe(Observation.completed("a", 100, Map.of()));
    model.observe(Observation.oomKilled("a", 5, Map.of("b", 1.0)));
    assertThat(model.predict("a", "b").isIncompatible()).isTrue();
    assertThat(model.toMatrix("gpu").pair("a", "b").orElseThrow().incompatible()).isTrue();
    // Beside two apps at once, no one pair is to blame.
    model.observe(Observation.oomKilled("a", 5, Map.of("c", 1.0, "d", 1.0)));
    assertThat(model.predict("a", "c").isIncompatible()).isFalse();
  }

  @Test
  void importedMatrixIsMeasuredUntilRunsSayOtherwise() {
    LearnedModel model = new LearnedModel();
    model.importMatrix(
        new InterferenceMatrix(
            "p100",
            List.of(
                dev.cotenant.interference.AppInfo.named("a"),
                dev.cotenant.interference.AppInfo.named("b")),
            List.of(PairEntry.measured("a", "b", 0.8), PairEntry.measured("b", "a", 0.5))));
    assertThat(model.predict("a", "b"))
        .isEqualTo(new Prediction(0.8, 0, Prediction.Source.MEASURED));
    // Many runs of a beside b all the time at 0.6 pull the pair there.
    for (int i = 0; i < 50; i++) {
      model.observe(Observation.completed("a", 100, Map.of()));
      model.observe(Observation.completed("a", 100 / 0.6, Map.of("b", 1.0)));
    }
    assertThat(model.predict("a", "b").normalizedThroughput()).isCloseTo(0.6, offset(0.02));
  }

  @Test
  void theModelDependsOnTheRunsNotOnHowTheyArrived() {
    Random random = new Random(9);
    List<Observation> runs = new java.util.ArrayList<>();
    for (int i = 0; i < 400; i++) {
      runs.add(run(random, random.nextInt(APPS), 0.02));
    }
    var profile =
        new dev.cotenant.interference.AppInfo(
            app(3),
            java.util.OptionalDouble.empty(),
            java.util.OptionalDouble.of(4096),
            java.util.OptionalDouble.of(70),
            java.util.OptionalDouble.empty());
    LearnedModel live = new LearnedModel();
    live.updateProfile(profile);
    for (Observation o : runs) {
      live.observe(o);
    }
    LearnedModel rebuilt = new LearnedModel();
    rebuilt.observeAll(runs);
    rebuilt.updateProfiles(List.of(profile));
    assertThat(rebuilt.toMatrix("p100").pairs()).isEqualTo(live.toMatrix("p100").pairs());
    assertThat(rebuilt.toMatrix("p100").apps()).isEqualTo(live.toMatrix("p100").apps());
  }

  @Test
  void aPodKilledAsItStartedIsAnObservation() {
    Observation o = Observation.oomKilled("a", 0, Map.of("b", 1.0));
    assertThat(o.runSeconds()).isZero();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> Observation.completed("a", 0, Map.of()))
        .hasMessageContaining("runSeconds must be positive");
  }
}
