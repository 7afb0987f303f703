package dev.cotenant.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.cotenant.eval.EvalCommand.Knowledge;
import dev.cotenant.eval.RunTimes.Durations;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sweep's grid and its sums, from hand-set run results. */
class SweepTest {
  static final List<String> OBLIVIOUS = List.of("binpack", "spread");

  @Test
  void everyPolicyRunsOncePerCellAndSeed() {
    Sweep sweep =
        new Sweep(
            List.of("p100", "k80"),
            List.of(1.0, 2.0),
            List.of(Durations.work, Durations.unknown),
            List.of(Knowledge.oracle, Knowledge.learned),
            List.of(11L, 12L, 13L),
            OBLIVIOUS);
    assertThat(sweep.cells()).hasSize(16);
    List<Sweep.Run> runs = sweep.runs();
    assertThat(runs).hasSize(16 * 3 * 3);
    assertThat(runs.stream().filter(r -> r.policy().equals(Sweep.AWARE))).hasSize(16 * 3);
    assertThat(runs).doesNotHaveDuplicates();
  }

  @Test
  void gainIsAgainstTheBestObliviousPolicyOnTheSameSeedThenMeanAndSd() {
    Sweep sweep =
        new Sweep(
            List.of("p100"),
            List.of(1.5),
            List.of(Durations.work),
            List.of(Knowledge.oracle, Knowledge.learned),
            List.of(11L, 12L),
            OBLIVIOUS);
    Sweep.Regime regime = new Sweep.Regime("p100", 1.5);
    Sweep.Cell oracle = new Sweep.Cell(regime, Durations.work, Knowledge.oracle);
    Sweep.Cell learned = new Sweep.Cell(regime, Durations.work, Knowledge.learned);
    Map<Sweep.Run, Double> jct = new HashMap<>();
    // binpack 100/140 (mean 120), spread 90/110 (mean 100): spread is the best oblivious.
    for (Sweep.Cell c : List.of(oracle, learned)) {
      jct.put(new Sweep.Run(c, "binpack", 11), 100.0);
      jct.put(new Sweep.Run(c, "binpack", 12), 140.0);
      jct.put(new Sweep.Run(c, "spread", 11), 90.0);
      jct.put(new Sweep.Run(c, "spread", 12), 110.0);
    }
    // aware with the oracle: 81 and 110 -> gains 10% and 0% against spread, per seed.
    jct.put(new Sweep.Run(oracle, Sweep.AWARE, 11), 81.0);
    jct.put(new Sweep.Run(oracle, Sweep.AWARE, 12), 110.0);
    jct.put(new Sweep.Run(learned, Sweep.AWARE, 11), 99.0);
    jct.put(new Sweep.Run(learned, Sweep.AWARE, 12), 121.0);

    List<Sweep.CellResult> results = sweep.results(jct);
    Sweep.CellResult o = results.get(0);
    assertThat(o.cell()).isEqualTo(oracle);
    assertThat(o.bestOblivious()).isEqualTo("spread");
    assertThat(o.meanJct()).containsEntry("binpack", 120.0).containsEntry(Sweep.AWARE, 95.5);
    assertThat(o.meanJctSd().get("binpack")).isCloseTo(Math.sqrt(800), within(1e-9));
    assertThat(o.gainPercent()).isCloseTo(5.0, within(1e-9));
    assertThat(o.gainPercentSd()).isCloseTo(Math.sqrt(50), within(1e-9));
    Sweep.CellResult l = results.get(1);
    assertThat(l.gainPercent()).isCloseTo(-10.0, within(1e-9)); // 99/90 and 121/110: both -10%
    // learned mean 110 against oracle 95.5
    assertThat(Sweep.learnedOverOracle(results, learned).getAsDouble())
        .isCloseTo(100 * (110 / 95.5 - 1), within(1e-9));
  }

  @Test
  void aMissingRunIsAnErrorNotAZero() {
    Sweep sweep =
        new Sweep(
            List.of("p100"),
            List.of(1.5),
            List.of(Durations.work),
            List.of(Knowledge.oracle),
            List.of(11L),
            OBLIVIOUS);
    assertThatThrownBy(() -> sweep.results(Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no result");
  }
}
