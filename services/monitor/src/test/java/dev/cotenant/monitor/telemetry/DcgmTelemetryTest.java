package dev.cotenant.monitor.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.cotenant.events.EventJson;
import dev.cotenant.events.GpuRef;
import dev.cotenant.events.GpuSample;
import dev.cotenant.monitor.lifecycle.NodeInfo;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** From exposition text to GpuSample, with the fields a default exporter leaves out. */
class DcgmTelemetryTest {
  static final Instant T = Instant.parse("2026-12-01T10:00:00Z");

  /** dcgm-exporter 4.x with the DCP fields on, the lowercase hostname, two pods on card 0. */
  static final String WITH_PROFILING =
      """
      DCGM_FI_DEV_GPU_UTIL{gpu="0",UUID="GPU-aaa",pci_bus_id="00000000:3B:00.0",device="nvidia0",modelName="Tesla P100-PCIE-16GB",hostname="node-7",DCGM_FI_DRIVER_VERSION="550.54.15",container="main",namespace="team-a",pod="resnet-0"} 91
      DCGM_FI_DEV_GPU_UTIL{gpu="0",UUID="GPU-aaa",pci_bus_id="00000000:3B:00.0",device="nvidia0",modelName="Tesla P100-PCIE-16GB",hostname="node-7",DCGM_FI_DRIVER_VERSION="550.54.15",container="main",namespace="team-b",pod="bert-1"} 91
      DCGM_FI_DEV_FB_USED{gpu="0",UUID="GPU-aaa",pci_bus_id="00000000:3B:00.0",device="nvidia0",modelName="Tesla P100-PCIE-16GB",hostname="node-7",container="main",namespace="team-a",pod="resnet-0"} 9000
      DCGM_FI_DEV_FB_FREE{gpu="0",UUID="GPU-aaa",pci_bus_id="00000000:3B:00.0",device="nvidia0",modelName="Tesla P100-PCIE-16GB",hostname="node-7",container="main",namespace="team-a",pod="resnet-0"} 7160
      DCGM_FI_DEV_FB_RESERVED{gpu="0",UUID="GPU-aaa",pci_bus_id="00000000:3B:00.0",device="nvidia0",modelName="Tesla P100-PCIE-16GB",hostname="node-7"} 120
      DCGM_FI_PROF_SM_ACTIVE{gpu="0",UUID="GPU-aaa",pci_bus_id="00000000:3B:00.0",device="nvidia0",modelName="Tesla P100-PCIE-16GB",hostname="node-7",container="main",namespace="team-a",pod="resnet-0"} 0.734000
      DCGM_FI_PROF_DRAM_ACTIVE{gpu="0",UUID="GPU-aaa",pci_bus_id="00000000:3B:00.0",device="nvidia0",modelName="Tesla P100-PCIE-16GB",hostname="node-7",container="main",namespace="team-a",pod="resnet-0"} 0.412000
      DCGM_FI_DEV_POWER_USAGE{gpu="0",UUID="GPU-aaa",pci_bus_id="00000000:3B:00.0",device="nvidia0",modelName="Tesla P100-PCIE-16GB",hostname="node-7"} 187.331000
      DCGM_FI_DEV_GPU_UTIL{gpu="1",UUID="GPU-bbb",pci_bus_id="00000000:5E:00.0",device="nvidia1",modelName="Tesla P100-PCIE-16GB",hostname="node-7",container="",namespace="",pod=""} 0
      DCGM_FI_DEV_FB_USED{gpu="1",UUID="GPU-bbb",pci_bus_id="00000000:5E:00.0",device="nvidia1",modelName="Tesla P100-PCIE-16GB",hostname="node-7",container="",namespace="",pod=""} 0
      DCGM_FI_DEV_FB_FREE{gpu="1",UUID="GPU-bbb",pci_bus_id="00000000:5E:00.0",device="nvidia1",modelName="Tesla P100-PCIE-16GB",hostname="node-7",container="",namespace="",pod=""} 16280
      DCGM_FI_PROF_SM_ACTIVE{gpu="1",UUID="GPU-bbb",pci_bus_id="00000000:5E:00.0",device="nvidia1",modelName="Tesla P100-PCIE-16GB",hostname="node-7",container="",namespace="",pod=""} 140737488355328.000000
      """;

  /** The default counters of dcgm-exporter 3.x: no DCP field; the legacy Hostname label. */
  static final String DEFAULT_COUNTERS =
      """
      # HELP DCGM_FI_DEV_GPU_UTIL GPU utilization (in %).
      # TYPE DCGM_FI_DEV_GPU_UTIL gauge
      DCGM_FI_DEV_GPU_UTIL{gpu="0",UUID="GPU-ccc",device="nvidia0",modelName="Tesla T4",Hostname="ip-10-0-0-12",DCGM_FI_DRIVER_VERSION="515.86.01",container="",namespace="",pod=""} 40
      DCGM_FI_DEV_MEM_COPY_UTIL{gpu="0",UUID="GPU-ccc",device="nvidia0",modelName="Tesla T4",Hostname="ip-10-0-0-12",DCGM_FI_DRIVER_VERSION="515.86.01",container="",namespace="",pod=""} 12
      DCGM_FI_DEV_FB_USED{gpu="0",UUID="GPU-ccc",device="nvidia0",modelName="Tesla T4",Hostname="ip-10-0-0-12",DCGM_FI_DRIVER_VERSION="515.86.01",container="",namespace="",pod=""} 4096
      DCGM_FI_DEV_FB_FREE{gpu="0",UUID="GPU-ccc",device="nvidia0",modelName="Tesla T4",Hostname="ip-10-0-0-12",DCGM_FI_DRIVER_VERSION="515.86.01",container="",namespace="",pod=""} 2147483632
      DCGM_FI_DEV_MEMORY_TEMP{gpu="0",UUID="GPU-ccc",device="nvidia0",modelName="Tesla T4",Hostname="ip-10-0-0-12",DCGM_FI_DRIVER_VERSION="515.86.01",container="",namespace="",pod=""} 9223372036854775794
      """;

  static List<GpuReading> read(String text) {
    return DcgmReadings.of(PrometheusText.parse(text, DcgmReadings.FIELDS::contains).samples());
  }

  @Test
  void oneReadingPerCardWithItsPodsAndWithoutBlanks() {
    List<GpuReading> readings = read(WITH_PROFILING);
    assertThat(readings).hasSize(2);
    GpuReading card0 = readings.get(0);
    assertThat(card0.index()).isZero();
    assertThat(card0.uuid()).isEqualTo("GPU-aaa");
    assertThat(card0.model()).isEqualTo("Tesla P100-PCIE-16GB");
    assertThat(card0.hostname()).hasValue("node-7");
    assertThat(card0.pods()).containsExactly("team-a/resnet-0", "team-b/bert-1");
    assertThat(card0.value(DcgmReadings.SM_ACTIVE)).hasValue(0.734);
    GpuReading card1 = readings.get(1);
    assertThat(card1.pods()).isEmpty();
    // DCGM_FP64_BLANK: SM activity not available on that card at that moment.
    assertThat(card1.value(DcgmReadings.SM_ACTIVE)).isEmpty();
  }

  @Test
  void aSampleWithTheProfilingFields() {
    GpuReading card0 = read(WITH_PROFILING).get(0);
    GpuSample s =
        GpuSampleMapper.toSample("node-7", card0, T, List.of("resnet-0"), Optional.empty()).get();
    assertThat(s.node()).isEqualTo("node-7");
    assertThat(s.key()).isEqualTo("node-7");
    assertThat(s.time()).isEqualTo(T);
    assertThat(s.gpu()).isEqualTo(new GpuRef(0, "GPU-aaa"));
    assertThat(s.model()).isEqualTo("Tesla P100-PCIE-16GB");
    assertThat(s.smActivity()).isEqualTo(0.734);
    assertThat(s.dramActivity()).isEqualTo(0.412);
    assertThat(s.utilizationPercent()).isEqualTo(91);
    assertThat(s.memoryUsedMiB()).isEqualTo(9000);
    assertThat(s.memoryTotalMiB()).isEqualTo(9000 + 7160 + 120);
    assertThat(s.pods()).containsExactly("bert-1", "resnet-0");
    // Deterministic: the same card at the same instant is the same event.
    assertThat(s.eventId())
        .isEqualTo(
            GpuSampleMapper.toSample("node-7", card0, T, List.of(), Optional.empty())
                .get()
                .eventId());
  }

  @Test
  void aCardWhoseSmActivityIsBlankFallsBackToItsUtilisation() {
    GpuSample s =
        GpuSampleMapper.toSample(
                "node-7", read(WITH_PROFILING).get(1), T, List.of(), Optional.empty())
            .get();
    assertThat(s.smActivity()).isZero();
    assertThat(s.dramActivity()).isNaN();
    assertThat(s.pods()).isEmpty();
  }

  @Test
  void theDefaultCountersGiveActivitiesFromUtilisationsAndTheTotalFromTheNode() {
    GpuReading r = read(DEFAULT_COUNTERS).get(0);
    assertThat(r.hostname()).hasValue("ip-10-0-0-12");
    // DCGM_INT32_BLANK in FB_FREE: the total comes from the node's label instead.
    assertThat(r.value(DcgmReadings.FB_FREE)).isEmpty();
    NodeInfo node = new NodeInfo("ip-10-0-0-12", true, List.of(), Optional.of("Tesla-T4"), 15_360);
    GpuSample s =
        GpuSampleMapper.toSample("ip-10-0-0-12", r, T, List.of(), Optional.of(node)).get();
    assertThat(s.smActivity()).isCloseTo(0.40, within(1e-12));
    assertThat(s.dramActivity()).isCloseTo(0.12, within(1e-12));
    assertThat(s.utilizationPercent()).isEqualTo(40);
    assertThat(s.memoryUsedMiB()).isEqualTo(4096);
    assertThat(s.memoryTotalMiB()).isEqualTo(15_360);
    assertThat(s.model()).isEqualTo("Tesla T4");
  }

  @Test
  void theLowercaseHostnameWinsOverTheLegacyOne() {
    String both =
        "DCGM_FI_DEV_GPU_UTIL{gpu=\"0\",UUID=\"GPU-x\",Hostname=\"pod-name\",hostname=\"node-1\"} 1\n";
    assertThat(read(both).get(0).hostname()).hasValue("node-1");
    assertThat(read("DCGM_FI_DEV_GPU_UTIL{gpu=\"0\",UUID=\"GPU-x\"} 1\n").get(0).hostname())
        .isEmpty();
  }

  @Test
  void aCardWithoutUtilisationOrMemoryIsNoSample() {
    GpuReading onlyPower = read("DCGM_FI_DEV_POWER_USAGE{gpu=\"0\",UUID=\"GPU-x\"} 50\n").get(0);
    assertThat(GpuSampleMapper.toSample("n", onlyPower, T, List.of(), Optional.empty())).isEmpty();
    GpuReading blankUsed =
        read("DCGM_FI_DEV_GPU_UTIL{gpu=\"0\",UUID=\"GPU-x\"} 5\n"
                + "DCGM_FI_DEV_FB_USED{gpu=\"0\",UUID=\"GPU-x\"} 2147483647\n")
            .get(0);
    assertThat(GpuSampleMapper.toSample("n", blankUsed, T, List.of(), Optional.empty())).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      doubles = {
        2147483632, // DCGM_INT32_BLANK
        2147483633, // DCGM_INT32_NOT_FOUND
        2147483634, // DCGM_INT32_NOT_SUPPORTED
        2147483635, // DCGM_INT32_NOT_PERMISSIONED
        140737488355328.0, // DCGM_FP64_BLANK
        140737488355330.0, // DCGM_FP64_NOT_SUPPORTED
        9223372036854775792.0, // DCGM_INT64_BLANK
        9223372036854775794.0, // DCGM_INT64_NOT_SUPPORTED
        Double.NaN
      })
  void dcgmBlankCodesAreNotValues(double v) {
    assertThat(DcgmReadings.isBlank(v)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(doubles = {0, 0.5, 100, 81_559, 350.5, 31_035_686_671.0})
  void realValuesAreValues(double v) {
    assertThat(DcgmReadings.isBlank(v)).isFalse();
  }

  @Test
  void aMissingActivityTravelsAsNaNAndTheProfilerCanReadIt() {
    GpuSample s =
        GpuSampleMapper.toSample(
                "node-7", read(WITH_PROFILING).get(1), T, List.of(), Optional.empty())
            .get();
    GpuSample back = EventJson.fromBytes(EventJson.toBytes(s), GpuSample.class);
    assertThat(back.dramActivity()).isNaN();
    assertThat(back.smActivity()).isEqualTo(s.smActivity());
  }
}
