package dev.cotenant.monitor.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The parser on lines as dcgm-exporter writes them (1.x to 4.x) and on what it must survive. */
class PrometheusTextTest {

  /** dcgm-exporter 3.x: HELP/TYPE, the legacy Hostname label, an attributed pod. */
  static final String EXPORTER_3X =
      """
      # HELP DCGM_FI_DEV_GPU_UTIL GPU utilization (in %).
      # TYPE DCGM_FI_DEV_GPU_UTIL gauge
      DCGM_FI_DEV_GPU_UTIL{gpu="0",UUID="GPU-8b2281de-6d3c-22ed-0ec8-d3b864870b8b",pci_bus_id="00000000:8D:00.0",device="nvidia0",modelName="NVIDIA H100 80GB HBM3",Hostname="node-a",DCGM_FI_DRIVER_VERSION="550.144.03",container="trainer",namespace="default",pod="resnet-0"} 87
      DCGM_FI_DEV_GPU_UTIL{gpu="1",UUID="GPU-15338f3e-5fd9-962d-921a-979b820520f0",pci_bus_id="00000000:91:00.0",device="nvidia1",modelName="NVIDIA H100 80GB HBM3",Hostname="node-a",DCGM_FI_DRIVER_VERSION="550.144.03"} 0
      # HELP DCGM_FI_DEV_MEMORY_TEMP Memory temperature (in C).
      # TYPE DCGM_FI_DEV_MEMORY_TEMP gauge
      DCGM_FI_DEV_MEMORY_TEMP{gpu="0",UUID="GPU-8b2281de-6d3c-22ed-0ec8-d3b864870b8b",pci_bus_id="00000000:8D:00.0",device="nvidia0",modelName="NVIDIA H100 80GB HBM3",Hostname="node-a",DCGM_FI_DRIVER_VERSION="550.144.03",container="",namespace="",pod=""} 9223372036854775794
      """;

  /** dcgm-exporter 2.x wrote a space after each comma; floats with six decimals. */
  static final String EXPORTER_2X =
      """
      DCGM_FI_DEV_POWER_USAGE{gpu="0", UUID="GPU-8c16e996-bd76-aa91-17e7-b48bcd0208ba", device="nvidia0"} 23.528000
      DCGM_FI_DEV_SM_CLOCK{gpu="0", UUID="GPU-604ac76c-d9cf-fef3-62e9-d92044ab6e52",container="",namespace="",pod=""} 139
      """;

  @Test
  void readsDcgmExporterLinesWithEveryLabel() {
    PrometheusText.Parsed parsed = PrometheusText.parse(EXPORTER_3X);
    assertThat(parsed.malformed()).isZero();
    assertThat(parsed.samples()).hasSize(3);
    PrometheusText.Sample first = parsed.samples().get(0);
    assertThat(first.name()).isEqualTo("DCGM_FI_DEV_GPU_UTIL");
    assertThat(first.value()).isEqualTo(87);
    assertThat(first.timestampMillis()).isEmpty();
    assertThat(first.labels())
        .containsEntry("gpu", "0")
        .containsEntry("UUID", "GPU-8b2281de-6d3c-22ed-0ec8-d3b864870b8b")
        .containsEntry("pci_bus_id", "00000000:8D:00.0")
        .containsEntry("device", "nvidia0")
        .containsEntry("modelName", "NVIDIA H100 80GB HBM3")
        .containsEntry("Hostname", "node-a")
        .containsEntry("container", "trainer")
        .containsEntry("namespace", "default")
        .containsEntry("pod", "resnet-0");
    // DCGM's INT64 "not supported" code, read as the number it is; DcgmReadings drops it.
    assertThat(parsed.samples().get(2).value()).isEqualTo(9.223372036854775794e18);
    assertThat(parsed.samples().get(2).labels()).containsEntry("pod", "");
  }

  @Test
  void readsTheOlderSpacedLabels() {
    PrometheusText.Parsed parsed = PrometheusText.parse(EXPORTER_2X);
    assertThat(parsed.malformed()).isZero();
    assertThat(parsed.samples().get(0).value()).isEqualTo(23.528);
    assertThat(parsed.samples().get(0).labels())
        .isEqualTo(
            Map.of(
                "gpu",
                "0",
                "UUID",
                "GPU-8c16e996-bd76-aa91-17e7-b48bcd0208ba",
                "device",
                "nvidia0"));
  }

  @Test
  void skipsUnwantedMetricsWithoutReadingThem() {
    PrometheusText.Parsed parsed =
        PrometheusText.parse(EXPORTER_3X + EXPORTER_2X, DcgmReadings.FIELDS::contains);
    assertThat(parsed.samples())
        .extracting(PrometheusText.Sample::name)
        .containsExactly("DCGM_FI_DEV_GPU_UTIL", "DCGM_FI_DEV_GPU_UTIL", "DCGM_FI_DEV_POWER_USAGE");
  }

  @Test
  void escapesTimestampsSpecialValuesAndWindowsLineEnds() {
    String text =
        "m{a=\"x\\\"y\\\\z\\nw\",b=\"\"} 1.5e3 1700000000123\r\n"
            + "m{} NaN\n"
            + "m +Inf\n"
            + "m{a=\"1\",} -Inf\n"
            + "   \n"
            + "# a comment\n";
    PrometheusText.Parsed parsed = PrometheusText.parse(text);
    assertThat(parsed.malformed()).isZero();
    assertThat(parsed.samples()).hasSize(4);
    PrometheusText.Sample s = parsed.samples().get(0);
    assertThat(s.labels()).containsEntry("a", "x\"y\\z\nw").containsEntry("b", "");
    assertThat(s.value()).isEqualTo(1500);
    assertThat(s.timestampMillis()).isEqualTo(OptionalLong.of(1_700_000_000_123L));
    assertThat(parsed.samples().get(1).value()).isNaN();
    assertThat(parsed.samples().get(2).value()).isInfinite().isPositive();
    assertThat(parsed.samples().get(3).value()).isInfinite().isNegative();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "DCGM_FI_DEV_GPU_TEMP{gpu=\"4\"}",
        "DCGM_FI_DEV_GPU_TEMP{gpu=\"4\"} ",
        "DCGM_FI_DEV_GPU_TEMP{gpu=\"2\" 5",
        "DCGM_FI_DEV_GPU_TEMP{gpu=\"5\",UUID=\"unterminated} 5",
        "DCGM_FI_DEV_GPU_TEMP{gpu=5} 5",
        "DCGM_FI_DEV_GPU_TEMP{gpu=\"1\"} 5 x",
        "DCGM_FI_DEV_GPU_TEMP{gpu=\"1\"} 5 1 2",
        "DCGM_FI_DEV_GPU_TEMP{gpu=\"1\"} Infinity",
        "DCGM_FI_DEV_GPU_TEMP{gpu=\"1\"} 5f",
        "DCGM_FI_DEV_GPU_TEMP{gpu=\"1\"}5",
        "{gpu=\"1\"} 5",
        "garbage line",
      })
  void aMalformedLineIsCountedAndTheRestStillRead(String bad) {
    PrometheusText.Parsed parsed = PrometheusText.parse(bad + "\nok{gpu=\"0\"} 1\n");
    assertThat(parsed.malformed()).isEqualTo(1);
    assertThat(parsed.samples())
        .singleElement()
        .satisfies(s -> assertThat(s.name()).isEqualTo("ok"));
  }
}
