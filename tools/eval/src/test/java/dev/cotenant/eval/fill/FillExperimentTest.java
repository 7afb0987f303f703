package dev.cotenant.eval.fill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.cotenant.fragmentation.FillCurve;
import java.util.List;
import org.junit.jupiter.api.Test;

class FillExperimentTest {

  private static FillCurve curveAllocating(double at100) {
    FillCurve curve = new FillCurve(130);
    curve.record(0.9, 0.9, true);
    curve.record(1.0, at100, true);
    return curve;
  }

  @Test
  void meanAndSampleSdOverSeeds() {
    var result =
        new FillExperiment.PolicyResult(
            "p", List.of(curveAllocating(0.90), curveAllocating(0.80), curveAllocating(0.85)));
    // Unallocated 10, 20 and 15%: mean 15, sample sd 5.
    assertThat(result.meanUnallocated(100)).isCloseTo(15, within(1e-9));
    assertThat(result.sdUnallocated(100)).isCloseTo(5, within(1e-9));
    assertThat(result.meanUnallocated(90)).isCloseTo(10, within(1e-9));
    assertThat(result.sdUnallocated(90)).isCloseTo(0, within(1e-9));
    // Nobody arrived near 120%: no reading.
    assertThat(result.meanUnallocated(120)).isNaN();
  }

  @Test
  void oneSeedHasNoSpread() {
    var result = new FillExperiment.PolicyResult("p", List.of(curveAllocating(0.9)));
    assertThat(result.sdUnallocated(100)).isZero();
  }
}
