package dev.cotenant.eval.fill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.cotenant.fragmentation.FillRun;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Issue 14's targets on openb, 10 seeds, on the trace tools/eval ships: FGD and BestFit within 0.5
 * points of the published unallocated share at 100% arrived (4.77% and 7.14%); our policy through
 * the placement engine held to what it reaches (the ≤ 4.5% target is not met, see the README).
 */
class OpenbFillTest {

  @Test
  void fgdAndBestFitLandWithinHalfAPointOfThePublishedFigures() {
    var setup =
        FillExperiment.Setup.of(
            OpenbCsv.bundledNodes(),
            OpenbCsv.bundledPods(),
            List.of("best-fit", "fgd"),
            LongStream.rangeClosed(1, 10).boxed().toList(),
            FillRun.DEFAULT_INFLATE,
            FillRun.Ties.FIRST);
    List<FillExperiment.PolicyResult> results = FillExperiment.run(setup, f -> {});

    assertThat(results.get(0).meanUnallocated(100)).isCloseTo(7.14, within(0.5));
    assertThat(results.get(1).meanUnallocated(100)).isCloseTo(4.77, within(0.5));
  }

  @Test
  void interferenceAwareThroughTheEngineStrandsLittleMoreThanFgdAndLessThanBestFit() {
    var setup =
        FillExperiment.Setup.of(
            OpenbCsv.bundledNodes(),
            OpenbCsv.bundledPods(),
            List.of("interference-aware"),
            LongStream.rangeClosed(1, 10).boxed().toList(),
            FillRun.DEFAULT_INFLATE,
            FillRun.Ties.FIRST);
    double ours = FillExperiment.run(setup, f -> {}).get(0).meanUnallocated(100);

    // Measured 5.15% (sd 0.18 over seeds, so the mean's standard error is 0.06): FGD with the
    // file's target 4.97%, with the last 2,000 arrivals' 5.24%, BestFit 6.96%.
    assertThat(ours).isLessThan(5.4);
  }
}
