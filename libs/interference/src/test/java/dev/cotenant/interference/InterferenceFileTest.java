package dev.cotenant.interference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InterferenceFileTest {

  static final Path GAVEL =
      Path.of(
          "../../tools/eval/src/main/resources/dev/cotenant/eval/scenarios/gavel-p100/interference.json");

  static final String GOOD =
      """
      {
        "format": "cotenant.interference/v1",
        "device": "p100",
        "source": "ignored",
        "apps": [ {"name": "a", "soloRate": 4.39, "gpuMemoryMiB": 7000, "gpuUtilPercent": 88},
                  {"name": "b"} ],
        "pairs": [ {"app": "a", "with": "b", "normalizedThroughput": 0.58},
                   {"app": "b", "with": "a", "incompatible": true} ]
      }
      """;

  @Test
  void readsTheExampleOfTheDesign() {
    InterferenceMatrix m = InterferenceFile.read(new StringReader(GOOD), "good.json");
    assertThat(m.device()).isEqualTo("p100");
    assertThat(m.apps()).extracting(AppInfo::name).containsExactly("a", "b");
    assertThat(m.app("a").orElseThrow().gpuMemoryMiB()).hasValue(7000);
    assertThat(m.pair("a", "b").orElseThrow().normalizedThroughput()).hasValue(0.58);
    assertThat(m.pair("b", "a").orElseThrow().incompatible()).isTrue();
    assertThat(m.pair("a", "a")).isEmpty();
  }

  @Test
  void writesWhatItReadsBack() throws Exception {
    InterferenceMatrix m = InterferenceFile.read(new StringReader(GOOD), "good.json");
    StringWriter out = new StringWriter();
    InterferenceFile.write(m, out);
    InterferenceMatrix again = InterferenceFile.read(new StringReader(out.toString()), "again");
    assertThat(again.apps()).isEqualTo(m.apps());
    assertThat(again.pairs()).isEqualTo(m.pairs());
  }

  @Test
  void readsTheMeasuredP100Matrix() {
    InterferenceMatrix m = InterferenceFile.read(GAVEL);
    assertThat(m.apps()).hasSize(26);
    assertThat(m.pairs()).hasSizeGreaterThan(500);
    MatrixModel model = new MatrixModel(m);
    assertThat(model.prior().source()).isEqualTo(Prediction.Source.PRIOR);
    assertThat(model.prior().normalizedThroughput()).isBetween(0.3, 1.0);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiterString = "|",
      quoteCharacter = '~',
      value = {
        "not json | {  | 1 | 2 | Unexpected end-of-input",
        "not an object | [] | 1 | 1 | expected a JSON object",
        "no format | {\"device\":\"x\"} | 1 | 1 | missing field 'format'",
        "wrong format | {\"format\":\"v0\",\"device\":\"x\"} | 1 | 1 | format must be",
        "no device | {\"format\":\"cotenant.interference/v1\"} | 1 | 1 | missing field 'device'",
        "apps not array | {\"format\":\"cotenant.interference/v1\",\"device\":\"x\",\"apps\":3} | 1 | 58 | 'apps' must be an array",
        "app not object | {\"format\":\"cotenant.interference/v1\",\"device\":\"x\",\"apps\":[3]} | 1 | 59 | must be an object",
        "app no name | {\"format\":\"cotenant.interference/v1\",\"device\":\"x\",\"apps\":[{}]} | 1 | 59 | missing 'name'",
        "app twice | {\"format\":\"cotenant.interference/v1\",\"device\":\"x\",\"apps\":[{\"name\":\"a\"},{\"name\":\"a\"}]} | 1 | 72 | listed twice",
        "util range | {\"format\":\"cotenant.interference/v1\",\"device\":\"x\",\"apps\":[{\"name\":\"a\",\"gpuUtilPercent\":120}]} | 1 | 59 | gpuUtilPercent",
        "wrong type | {\"format\":\"cotenant.interference/v1\",\"device\":\"x\",\"apps\":[{\"name\":\"a\",\"soloRate\":\"fast\"}]} | 1 | 82 | Double",
        "pair unknown app | {\"format\":\"cotenant.interference/v1\",\"device\":\"x\",\"apps\":[{\"name\":\"a\"}],\"pairs\":[{\"app\":\"a\",\"with\":\"z\",\"normalizedThroughput\":0.5}]} | 1 | 82 | 'z' not listed",
        "pair no value | {\"format\":\"cotenant.interference/v1\",\"device\":\"x\",\"apps\":[{\"name\":\"a\"}],\"pairs\":[{\"app\":\"a\",\"with\":\"a\"}]} | 1 | 82 | needs normalizedThroughput",
        "pair range | {\"format\":\"cotenant.interference/v1\",\"device\":\"x\",\"apps\":[{\"name\":\"a\"}],\"pairs\":[{\"app\":\"a\",\"with\":\"a\",\"normalizedThroughput\":2}]} | 1 | 82 | (0, 1.5]",
        "pair both | {\"format\":\"cotenant.interference/v1\",\"device\":\"x\",\"apps\":[{\"name\":\"a\"}],\"pairs\":[{\"app\":\"a\",\"with\":\"a\",\"normalizedThroughput\":0.5,\"incompatible\":true}]} | 1 | 82 | must not have a throughput",
        "pair twice | {\"format\":\"cotenant.interference/v1\",\"device\":\"x\",\"apps\":[{\"name\":\"a\"}],\"pairs\":[{\"app\":\"a\",\"with\":\"a\",\"normalizedThroughput\":0.5},{\"app\":\"a\",\"with\":\"a\",\"normalizedThroughput\":0.5}]} | 1 | 132 | listed twice",
        "trailing | {\"format\":\"cotenant.interference/v1\",\"device\":\"x\"} x | 1 | 52 | ",
      })
  void badFilesNameLineAndColumn(String label, String json, int line, int column, String message) {
    assertThatThrownBy(() -> InterferenceFile.read(new StringReader(json), "bad.json"))
        .isInstanceOfSatisfying(
            InterferenceFormatException.class,
            e -> {
              assertThat(e.file()).isEqualTo("bad.json");
              assertThat(e.line()).isEqualTo(line);
              assertThat(e.column()).isEqualTo(column);
              assertThat(e.getMessage()).startsWith("bad.json:" + line + ":" + column + ": ");
              if (message != null) {
                assertThat(e.getMessage()).contains(message.strip());
              }
            });
  }

  @Test
  void errorsOnLaterLinesPointThere() {
    String json = GOOD.replace("0.58", "-1");
    assertThatThrownBy(() -> InterferenceFile.read(new StringReader(json), "f.json"))
        .hasMessageStartingWith("f.json:7:");
  }

  @Test
  void oracleKnowsMeasuredPairsAndPricesTheRestByThePrior() {
    var m =
        new InterferenceMatrix(
            "d",
            List.of(AppInfo.named("a"), AppInfo.named("b"), AppInfo.named("c")),
            List.of(
                PairEntry.measured("a", "b", 0.6),
                PairEntry.measured("b", "a", 1.0),
                PairEntry.incompatible("a", "c")));
    MatrixModel model = new MatrixModel(m);
    assertThat(model.predict("a", "b"))
        .isEqualTo(new Prediction(0.6, 0, Prediction.Source.MEASURED));
    assertThat(model.predict("a", "c").isIncompatible()).isTrue();
    Prediction unknown = model.predict("c", "b");
    assertThat(unknown.source()).isEqualTo(Prediction.Source.PRIOR);
    assertThat(unknown.normalizedThroughput()).isCloseTo(0.8, within(1e-12));
    assertThat(unknown.uncertainty()).isCloseTo(0.2, within(1e-12));
    assertThat(MatrixModel.empty().predict("x", "y")).isEqualTo(MatrixModel.TIME_SLICING_PRIOR);
  }

  @Test
  void coLocationMultipliesPairsAndIncompatibilityWins() {
    var m =
        new InterferenceMatrix(
            "d",
            List.of(AppInfo.named("a"), AppInfo.named("b"), AppInfo.named("c")),
            List.of(
                PairEntry.measured("a", "b", 0.5),
                PairEntry.measured("a", "c", 0.8),
                PairEntry.incompatible("b", "c")));
    MatrixModel model = new MatrixModel(m);
    assertThat(model.combinedThroughput("a", List.of())).isEqualTo(1.0);
    assertThat(model.combinedThroughput("a", List.of("b", "c"))).isCloseTo(0.4, within(1e-12));
    assertThat(model.combinedThroughput("b", List.of("a", "c"))).isZero();
  }

  @Test
  void appAndPairValuesAreValidated() {
    assertThatThrownBy(
            () ->
                new AppInfo(
                    "a",
                    OptionalDouble.of(-1),
                    OptionalDouble.empty(),
                    OptionalDouble.empty(),
                    OptionalDouble.empty()))
        .hasMessageContaining("soloRate");
    assertThatThrownBy(() -> PairEntry.measured("a", "b", 0))
        .hasMessageContaining("normalizedThroughput");
    assertThatThrownBy(
            () ->
                new InterferenceMatrix(
                    "d", List.of(AppInfo.named("a")), List.of(PairEntry.measured("a", "b", 0.5))))
        .hasMessageContaining("unlisted app 'b'");
  }
}
