package dev.cotenant.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cotenant.interference.learn.FactorModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InterferenceEvalTest {

  @TempDir Path dir;

  static Map<String, Double> byMethod(List<InterferenceEval.MethodError> errors) {
    return errors.stream()
        .collect(
            Collectors.toMap(
                InterferenceEval.MethodError::method, InterferenceEval.MethodError::mae));
  }

  @Test
  void predictorMeetsTheTargetOnTheMeasuredP100Matrix() {
    Map<String, Double> mae =
        byMethod(
            InterferenceEval.hideRandom(
                Scenario.gavelMatrix(),
                0.2,
                20,
                1,
                FactorModel.Config.defaults(),
                InterferenceEval.Tuning.SELECTED));
    // The reference points: row+column effects about 0.048; ours must be at most 0.030.
    assertThat(mae.get("row-column")).isBetween(0.040, 0.056);
    assertThat(mae.get("global-mean")).isGreaterThan(0.1);
    assertThat(mae.get("cotenant")).isLessThanOrEqualTo(0.030);
  }

  @Test
  void predictorMeetsTheTargetOnTheMeasuredK80MatrixWithHyperparametersChosenInside() {
    Map<String, Double> mae =
        byMethod(
            InterferenceEval.hideRandom(
                Scenario.gavelMatrix("k80"),
                0.2,
                20,
                1,
                FactorModel.Config.defaults(),
                InterferenceEval.Tuning.SELECTED));
    // Issue 13: at most 0.025 on K80 (measured 0.0184; row+column effects 0.0376).
    assertThat(mae.get("cotenant")).isLessThanOrEqualTo(0.025).isLessThan(mae.get("row-column"));
    Map<String, Double> cold =
        byMethod(
            InterferenceEval.coldStart(
                Scenario.gavelMatrix("k80"),
                FactorModel.Config.defaults(),
                InterferenceEval.Tuning.SELECTED));
    assertThat(cold.get("cotenant")).isLessThan(cold.get("row-column"));
  }

  @Test
  void coldStartFromSoloFeaturesBeatsRowAndColumnEffects() {
    Map<String, Double> mae =
        byMethod(
            InterferenceEval.coldStart(
                Scenario.gavelMatrix(),
                FactorModel.Config.defaults(),
                InterferenceEval.Tuning.SELECTED));
    assertThat(mae.get("cotenant")).isLessThan(mae.get("row-column"));
  }

  @Test
  void commandWritesOneRowPerMethod() throws Exception {
    var r =
        EvalCommandTest.eval(
            "interference", "--hide", "0.3", "--repeats", "2", "--out", dir.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("row-column").contains("cotenant");
    JsonNode json = new ObjectMapper().readTree(dir.resolve("interference-eval.json").toFile());
    assertThat(json).hasSize(3);
    assertThat(json.get(2).get("method").asText()).isEqualTo("cotenant");
    assertThat(json.get(2).get("mae").asDouble()).isPositive().isLessThan(0.05);
    assertThat(json.get(2).get("pairs").asLong()).isEqualTo(2L * Math.round(0.3 * 656));
  }

  @Test
  void badOptionsAndFilesExitTwoNamingTheProblem() throws Exception {
    assertThat(EvalCommandTest.eval("interference", "--hide", "1.5").err()).contains("--hide");
    assertThat(EvalCommandTest.eval("interference", "--hide", "1.5").exit()).isEqualTo(2);
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"format\": \"cotenant.interference/v1\",\n \"device\": 3}");
    var r = EvalCommandTest.eval("interference", "--matrix", bad.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("bad.json:2:");
  }
}
