package dev.cotenant.interference;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class MatrixModelTest {
  private static final InterferenceMatrix MATRIX =
      new InterferenceMatrix(
          "p100",
          List.of(AppInfo.named("a"), AppInfo.named("b"), AppInfo.named("c")),
          List.of(
              PairEntry.measured("a", "b", 0.8),
              new PairEntry(
                  "b", "a", OptionalDouble.of(0.6), false, PairEntry.Evidence.predicted(0.07)),
              new PairEntry(
                  "a", "c", OptionalDouble.of(0.9), false, PairEntry.Evidence.measured(12, 0.02)),
              PairEntry.incompatible("c", "a")));

  @Test
  void aPredictedCellKeepsItsUncertaintyAndAMeasuredOneIsCertain() {
    MatrixModel model = new MatrixModel(MATRIX);
    assertThat(model.predict("b", "a"))
        .isEqualTo(new Prediction(0.6, 0.07, Prediction.Source.PREDICTED));
    assertThat(model.predict("a", "b"))
        .isEqualTo(new Prediction(0.8, 0, Prediction.Source.MEASURED));
    assertThat(model.predict("a", "c"))
        .isEqualTo(new Prediction(0.9, 0, Prediction.Source.MEASURED));
    assertThat(model.predict("c", "a").isIncompatible()).isTrue();
    assertThat(model.predict("b", "c").source()).isEqualTo(Prediction.Source.PRIOR);
  }
}
