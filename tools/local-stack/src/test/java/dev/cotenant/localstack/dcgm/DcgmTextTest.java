package dev.cotenant.localstack.dcgm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.cotenant.interference.AppInfo;
import dev.cotenant.localstack.kubelet.NodeKubelet.GpuCard;
import dev.cotenant.localstack.kubelet.NodeKubelet.Tenant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class DcgmTextTest {
  static final Function<String, Optional<AppInfo>> PROFILES =
      app ->
          Optional.ofNullable(
              Map.of(
                      "tf",
                      new AppInfo(
                          "tf",
                          OptionalDouble.empty(),
                          OptionalDouble.of(3584),
                          OptionalDouble.of(88),
                          OptionalDouble.empty(),
                          OptionalDouble.of(0.7),
                          OptionalDouble.of(0.4)))
                  .get(app));

  static final GpuCard SHARED =
      new GpuCard(
          0,
          "GPU-0",
          16384,
          List.of(
              new Tenant("demo", "tf-0", "main", "tf", 0.6, 8000),
              new Tenant("demo", "other-0", "main", "mystery", 0.5, 2000)));
  static final GpuCard IDLE = new GpuCard(1, "GPU-1", 16384, List.of());

  @Test
  void eachPodAddsItsSoloProfileScaledByItsRateAndACardSaturates() {
    GpuTelemetry t = GpuTelemetry.of(SHARED, "A100", PROFILES);
    // tf: 88 x 0.6 = 52.8; the unprofiled app counts as 100 x 0.5 = 50; together capped at 100.
    assertThat(t.utilPercent()).isEqualTo(100);
    // tf: 0.7 x 0.6 = 0.42; mystery: 1.0 x 0.5 = 0.5.
    assertThat(t.smActive()).isCloseTo(0.92, within(1e-9));
    assertThat(t.dramActive()).isCloseTo(0.4 * 0.6 + 0.5 * 0.5, within(1e-9));
    // tf uses its 3584 of the 8000 it reserved; mystery its whole 2000.
    assertThat(t.memoryUsedMiB()).isEqualTo(5584);
    assertThat(t.memoryFreeMiB()).isEqualTo(16384 - 5584);
    assertThat(t.powerWatts()).isCloseTo(400, within(1e-9));

    GpuTelemetry idle = GpuTelemetry.of(IDLE, "A100", PROFILES);
    assertThat(idle.utilPercent()).isZero();
    assertThat(idle.memoryUsedMiB()).isZero();
    assertThat(idle.powerWatts()).isCloseTo(50, within(1e-9));
  }

  @Test
  void thePageHasDcgmExportersNamesAndLabelsWithASeriesPerPodOnASharedCard() {
    List<GpuCard> cards = List.of(SHARED, IDLE);
    String page =
        DcgmText.render(
            "node-7",
            "A100",
            cards,
            List.of(
                GpuTelemetry.of(SHARED, "A100", PROFILES),
                GpuTelemetry.of(IDLE, "A100", PROFILES)));
    String device0 =
        "gpu=\"0\",UUID=\"GPU-0\",pci_bus_id=\"00000000:07:00.0\",device=\"nvidia0\","
            + "modelName=\"A100\",Hostname=\"node-7\",DCGM_FI_DRIVER_VERSION=\"550.54.15\"";
    assertThat(page)
        .contains("# HELP DCGM_FI_DEV_GPU_UTIL GPU utilization (in %).\n")
        .contains("# TYPE DCGM_FI_DEV_GPU_UTIL gauge\n")
        .contains(
            "DCGM_FI_DEV_GPU_UTIL{"
                + device0
                + ",container=\"main\",namespace=\"demo\",pod=\"tf-0\"} 100\n")
        .contains(
            "DCGM_FI_DEV_GPU_UTIL{"
                + device0
                + ",container=\"main\",namespace=\"demo\",pod=\"other-0\"} 100\n")
        .contains(
            "DCGM_FI_DEV_FB_USED{"
                + device0
                + ",container=\"main\",namespace=\"demo\",pod=\"tf-0\"} 5584\n")
        .contains(
            "DCGM_FI_DEV_GPU_UTIL{gpu=\"1\",UUID=\"GPU-1\",pci_bus_id=\"00000000:17:00.0\","
                + "device=\"nvidia1\",modelName=\"A100\",Hostname=\"node-7\","
                + "DCGM_FI_DRIVER_VERSION=\"550.54.15\"} 0\n")
        .contains("DCGM_FI_DEV_FB_FREE{gpu=\"1\"")
        .contains("DCGM_FI_DEV_POWER_USAGE{gpu=\"1\"")
        .contains(
            "DCGM_FI_PROF_SM_ACTIVE{"
                + device0
                + ",container=\"main\",namespace=\"demo\",pod=\"tf-0\"} 0.920000\n")
        .contains("DCGM_FI_PROF_DRAM_ACTIVE{gpu=\"1\"");
    // Every sample line is NAME{labels} VALUE, as Prometheus' text format has it.
    assertThat(page.lines().filter(l -> !l.startsWith("#")))
        .hasSize(6 * 3)
        .allMatch(l -> l.matches("DCGM_FI_[A-Z_]+\\{[^}]*\\} [0-9.]+"));
  }

  @Test
  void labelValuesAreEscaped() {
    assertThat(DcgmText.escape("a\"b\\c\nd")).isEqualTo("a\\\"b\\\\c\\nd");
  }

  @Test
  void valuesArePrintedAsFormatterPrintsThem() {
    assertThat(fixed(0, 0)).isEqualTo("0");
    assertThat(fixed(87.5, 0)).isEqualTo("88");
    assertThat(fixed(400, 3)).isEqualTo("400.000");
    assertThat(fixed(0.92, 6)).isEqualTo("0.920000");
    assertThat(fixed(0.0000004, 6)).isEqualTo("0.000000");
    assertThat(fixed(-1.25, 1)).isEqualTo("-1.3");
    assertThat(fixed(Double.NaN, 3)).isEqualTo("NaN");
    java.util.Random random = new java.util.Random(7);
    for (int i = 0; i < 10_000; i++) {
      double value = random.nextDouble() * Math.pow(10, random.nextInt(6));
      for (int decimals : new int[] {0, 3, 6}) {
        String expected = String.format(java.util.Locale.ROOT, "%." + decimals + "f", value);
        assertThat(Double.parseDouble(fixed(value, decimals)))
            .as("%s with %d places", value, decimals)
            .isCloseTo(Double.parseDouble(expected), within(1.01 * Math.pow(10, -decimals)));
        assertThat(fixed(value, decimals)).hasSameSizeAs(expected);
      }
    }
  }

  private static String fixed(double value, int decimals) {
    return DcgmText.appendFixed(new StringBuilder(), value, decimals).toString();
  }
}
