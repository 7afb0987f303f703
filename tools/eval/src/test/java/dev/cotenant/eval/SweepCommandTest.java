package dev.cotenant.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cotenant.eval.EvalCommandTest.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code eval sweep} end to end on a small grid, and its refusals. */
class SweepCommandTest {
  @TempDir Path dir;

  @Test
  void aSmallGridPrintsItsTableAndWritesJsonAndHeatmaps() throws Exception {
    Path out = dir.resolve("sweep");
    Run r =
        EvalCommandTest.eval(
            "sweep",
            "--devices",
            "k80",
            "--loads",
            "0.6,1.0",
            "--durations",
            "work",
            "--knowledge",
            "oracle,learned",
            "--seeds",
            "11",
            "--oblivious",
            "binpack,spread",
            "--out",
            out.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("4 cells, 12 runs")
        .contains("best_oblivious")
        .containsPattern("k80 +0\\.6 work +learned .* [+-]\\d+\\.\\d%")
        .contains("worse than the best oblivious policy in");
    JsonNode rows = new ObjectMapper().readTree(out.resolve("sweep.json").toFile());
    assertThat(rows).hasSize(4);
    JsonNode first = rows.get(0);
    assertThat(first.get("device").asText()).isEqualTo("k80");
    assertThat(first.get("meanJctSeconds").get("interference-aware").asDouble()).isPositive();
    assertThat(first.get("bestOblivious").asText()).isIn("binpack", "spread");
    assertThat(rows.get(1).has("learnedOverOraclePercent")).isTrue();
    for (String svg :
        List.of("gain.svg", "jct-binpack.svg", "jct-spread.svg", "jct-interference-aware.svg")) {
      assertThat(Files.readString(out.resolve(svg))).startsWith("<?xml").contains("load 0.6");
    }
  }

  @Test
  void badOptionsAreRefusedNamingTheOption() {
    assertThat(EvalCommandTest.eval("sweep", "--seeds", "5-2").err()).contains("--seeds");
    assertThat(EvalCommandTest.eval("sweep", "--seeds", "x").exit())
        .isEqualTo(EvalCommand.BAD_INPUT);
    assertThat(EvalCommandTest.eval("sweep", "--devices", "v100").err())
        .contains("--devices")
        .contains("v100");
    assertThat(EvalCommandTest.eval("sweep", "--oblivious", "interference-aware").err())
        .contains("--oblivious");
    assertThat(EvalCommandTest.eval("sweep", "--loads", "0").err()).contains("--loads");
    assertThat(EvalCommandTest.eval("sweep", "--seeds", "11,11").err()).contains("twice");
  }
}
