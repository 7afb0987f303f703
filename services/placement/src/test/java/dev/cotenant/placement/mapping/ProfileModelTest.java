package dev.cotenant.placement.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.cotenant.events.AppProfile;
import dev.cotenant.events.AppProfile.PairEstimate;
import dev.cotenant.interference.AppInfo;
import dev.cotenant.interference.InterferenceMatrix;
import dev.cotenant.interference.InterferenceModel;
import dev.cotenant.interference.MatrixModel;
import dev.cotenant.interference.PairEntry;
import dev.cotenant.interference.Prediction;
import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProfileModelTest {
  private static final AppInfo RESNET =
      new AppInfo(
          "resnet",
          OptionalDouble.of(120),
          OptionalDouble.of(8000),
          OptionalDouble.of(70),
          OptionalDouble.of(2000),
          OptionalDouble.of(0.6),
          OptionalDouble.of(0.3));

  /** The file: resnet and bert measured both ways, yolo listed alone. */
  private static final InterferenceMatrix BASE =
      new InterferenceMatrix(
          "A100-40GB",
          List.of(RESNET, AppInfo.named("bert"), AppInfo.named("yolo")),
          List.of(
              PairEntry.measured("resnet", "bert", 0.8),
              PairEntry.measured("bert", "resnet", 0.7),
              PairEntry.measured("yolo", "bert", 0.9)));

  private static AppProfile profile(String app, long gpuMemoryMiB, PairEstimate... pairs) {
    return new AppProfile(
        "evt-" + app,
        Instant.parse("2024-05-01T10:00:00Z"),
        app,
        10,
        OptionalDouble.of(300),
        gpuMemoryMiB,
        0,
        0,
        List.of(pairs));
  }

  private static PairEstimate measured(String with, double t, double uncertainty, long count) {
    return new PairEstimate(with, t, uncertainty, count, false, false);
  }

  private static PairEstimate predicted(String with, double t, double uncertainty) {
    return new PairEstimate(with, t, uncertainty, 0, true, false);
  }

  private static InterferenceMatrix matrix(InterferenceModel model) {
    assertThat(model).isInstanceOf(MatrixModel.class);
    return ((MatrixModel) model).matrix();
  }

  @Test
  void withoutProfilesTheFileIsTheModel() {
    InterferenceModel model = ProfileModel.of(BASE, List.of());

    assertThat(matrix(model).device()).isEqualTo("A100-40GB");
    assertThat(matrix(model).apps()).isEqualTo(BASE.apps());
    assertThat(matrix(model).pairs()).isEqualTo(BASE.pairs());
    assertThat(model.predict("resnet", "bert"))
        .isEqualTo(new Prediction(0.8, 0, Prediction.Source.MEASURED));
    assertThat(model.profile("resnet")).contains(RESNET);
  }

  @Test
  void aProfiledPairReplacesTheFilesAndTheOthersStay() {
    InterferenceModel model =
        ProfileModel.of(BASE, List.of(profile("resnet", 0, measured("bert", 0.55, 0.04, 12))));

    assertThat(model.predict("resnet", "bert").normalizedThroughput()).isEqualTo(0.55);
    assertThat(model.predict("resnet", "bert").source()).isEqualTo(Prediction.Source.MEASURED);
    // The reverse direction is another pair: the file's stays.
    assertThat(model.predict("bert", "resnet").normalizedThroughput()).isEqualTo(0.7);
    assertThat(model.predict("yolo", "bert").normalizedThroughput()).isEqualTo(0.9);
    PairEntry e = matrix(model).pair("resnet", "bert").orElseThrow();
    assertThat(e.evidence()).isEqualTo(PairEntry.Evidence.measured(12, 0.04));
    assertThat(matrix(model).pairs()).hasSize(3);
  }

  @Test
  void anIncompatiblePairIsIncompatible() {
    InterferenceModel model =
        ProfileModel.of(
            BASE,
            List.of(
                profile("resnet", 0, new PairEstimate("bert", 0.8, 0.1, 3, false, true)),
                profile("yolo", 0, new PairEstimate("resnet", 0, 0, 0, true, true))));

    assertThat(model.predict("resnet", "bert").isIncompatible()).isTrue();
    assertThat(model.predict("yolo", "resnet").isIncompatible()).isTrue();
    assertThat(model.predict("bert", "resnet").isIncompatible()).isFalse();
    PairEntry e = matrix(model).pair("resnet", "bert").orElseThrow();
    assertThat(e.incompatible()).isTrue();
    assertThat(e.normalizedThroughput()).isEmpty();
    assertThat(e.evidence()).isEqualTo(PairEntry.Evidence.measured(3, 0.1));
    assertThat(matrix(model).pair("yolo", "resnet").orElseThrow().evidence())
        .isEqualTo(PairEntry.Evidence.predicted(0));
  }

  @Test
  void predictedAndMeasuredEvidenceAreKeptApart() {
    InterferenceModel model =
        ProfileModel.of(
            BASE,
            List.of(
                profile(
                    "bert",
                    0,
                    predicted("yolo", 0.6, 0.2),
                    measured("resnet", 0.75, 0.03, 40),
                    // Negative counts and uncertainties are no evidence of anything: 0.
                    new PairEstimate("bert", 0.5, -1, -5, false, false))));

    InterferenceMatrix m = matrix(model);
    assertThat(m.pair("bert", "yolo").orElseThrow().evidence())
        .isEqualTo(PairEntry.Evidence.predicted(0.2));
    assertThat(m.pair("bert", "resnet").orElseThrow().evidence())
        .isEqualTo(PairEntry.Evidence.measured(40, 0.03));
    assertThat(m.pair("bert", "bert").orElseThrow().evidence())
        .isEqualTo(PairEntry.Evidence.measured(0, 0));
    assertThat(model.predict("bert", "yolo").normalizedThroughput()).isEqualTo(0.6);
    assertThat(model.predict("bert", "resnet").normalizedThroughput()).isEqualTo(0.75);
  }

  @Test
  void anAppOnlyNamedAsACoTenantIsAdded() {
    InterferenceModel model =
        ProfileModel.of(BASE, List.of(profile("llama", 20000, measured("whisper", 0.4, 0, 2))));

    assertThat(model.profile("whisper")).contains(AppInfo.named("whisper"));
    assertThat(model.profile("llama").orElseThrow().gpuMemoryMiB()).hasValue(20000);
    assertThat(model.predict("llama", "whisper").normalizedThroughput()).isEqualTo(0.4);
    assertThat(matrix(model).apps())
        .extracting(AppInfo::name)
        .containsExactly("resnet", "bert", "yolo", "llama", "whisper");
  }

  @Test
  void aThroughputAbove1point5IsClamped() {
    InterferenceModel model =
        ProfileModel.of(
            BASE,
            List.of(
                profile("resnet", 0, measured("bert", 2.7, 0, 1), measured("yolo", 1.2, 0, 1))));

    assertThat(model.predict("resnet", "bert").normalizedThroughput())
        .isEqualTo(PairEntry.MAX_THROUGHPUT);
    assertThat(model.predict("resnet", "yolo").normalizedThroughput()).isEqualTo(1.2);
  }

  @ParameterizedTest(name = "throughput {0}")
  @ValueSource(doubles = {0, -0.3, Double.NaN})
  void aNonPositiveThroughputIsDroppedAndTheFilesPairStays(double t) {
    InterferenceModel model =
        ProfileModel.of(
            BASE,
            List.of(profile("resnet", 0, measured("bert", t, 0, 5), measured("yolo", t, 0, 5))));

    assertThat(model.predict("resnet", "bert").normalizedThroughput()).isEqualTo(0.8);
    assertThat(matrix(model).pair("resnet", "yolo")).isEmpty();
    // Not known: the prior, the mean of the listed pairs.
    Prediction unknown = model.predict("resnet", "yolo");
    assertThat(unknown.source()).isEqualTo(Prediction.Source.PRIOR);
    assertThat(unknown.normalizedThroughput()).isCloseTo((0.8 + 0.7 + 0.9) / 3, within(1e-9));
  }

  @Test
  void aProfileReplacesTheFilesSoloFiguresItHasAndKeepsTheRest() {
    AppProfile p =
        new AppProfile(
            "evt",
            Instant.parse("2024-05-01T10:00:00Z"),
            "resnet",
            50,
            OptionalDouble.of(300),
            9500,
            0.8,
            1.7, // not a ratio: the file's stays
            List.of());

    AppInfo info = ProfileModel.of(BASE, List.of(p)).profile("resnet").orElseThrow();

    assertThat(info.gpuMemoryMiB()).hasValue(9500);
    assertThat(info.smActivity()).hasValue(0.8);
    assertThat(info.dramActivity()).hasValue(0.3);
    assertThat(info.soloRate()).hasValue(120);
    assertThat(info.gpuUtilPercent()).hasValue(70);
    assertThat(info.cpuMilli()).hasValue(2000);
  }

  @Test
  void aProfileWithoutFiguresKeepsTheFilesProfile() {
    AppInfo info =
        ProfileModel.of(BASE, List.of(profile("resnet", 0))).profile("resnet").orElseThrow();

    assertThat(info).isEqualTo(RESNET);
  }

  @Test
  void aNewAppsProfileHasOnlyWhatTheProfilerKnows() {
    InterferenceModel model = ProfileModel.of(BASE, List.of(profile("gpt", 12000)));

    AppInfo info = model.profile("gpt").orElseThrow();
    assertThat(info.gpuMemoryMiB()).hasValue(12000);
    assertThat(info.soloRate()).isEmpty();
    assertThat(info.smActivity()).isEmpty();
    assertThat(model.profile("unheard-of")).isEmpty();
  }

  @Test
  void aProfileWithABlankAppOrCoTenantIsLeftOutNotFatal() {
    InterferenceModel model =
        ProfileModel.of(
            BASE,
            List.of(
                profile(" ", 100, measured("bert", 0.5, 0, 1)),
                profile(
                    "resnet",
                    0,
                    measured("", 0.5, 0, 1),
                    measured(null, 0.5, 0, 1),
                    measured("yolo", 0.45, 0, 1))));

    assertThat(model.predict("resnet", "yolo").normalizedThroughput()).isEqualTo(0.45);
    assertThat(matrix(model).apps())
        .extracting(AppInfo::name)
        .containsExactly("resnet", "bert", "yolo");
  }

  @Test
  void combinedPairsOfSeveralProfiles() {
    InterferenceModel model =
        ProfileModel.of(
            BASE,
            List.of(
                profile("resnet", 0, measured("bert", 0.6, 0, 4)),
                profile("bert", 0, measured("resnet", 0.65, 0, 4))));

    assertThat(model.predict("resnet", "bert").normalizedThroughput()).isEqualTo(0.6);
    assertThat(model.predict("bert", "resnet").normalizedThroughput()).isEqualTo(0.65);
    assertThat(model.combinedThroughput("resnet", List.of("bert"))).isEqualTo(0.6);
  }

  @Test
  void pairsSeenToOverflowACardStayApartWhateverTheProfilesSay() {
    InterferenceModel model =
        ProfileModel.of(
            BASE,
            List.of(profile("resnet", 0, measured("bert", 0.9, 0, 30))),
            java.util.Set.of(
                new InterferenceMatrix.PairKey("resnet", "bert"),
                new InterferenceMatrix.PairKey("mystery", "yolo")));

    assertThat(model.predict("resnet", "bert").isIncompatible()).isTrue();
    assertThat(model.predict("bert", "resnet").normalizedThroughput()).isEqualTo(0.7);
    assertThat(model.predict("mystery", "yolo").isIncompatible()).isTrue();
    assertThat(model.profile("mystery")).contains(AppInfo.named("mystery"));
  }
}
