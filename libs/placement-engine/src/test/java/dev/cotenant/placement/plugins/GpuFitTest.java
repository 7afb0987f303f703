package dev.cotenant.placement.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cotenant.placement.model.PodShape;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GpuFitTest {

  @ParameterizedTest(name = "[{0}] + {1}m/{2}MiB -> {3}")
  @CsvSource({
    "'', 1000, 16000, ''",
    "a:500:8000, 500, 8000, ''",
    "a:500:8000, 501, 100, InsufficientGpuCompute",
    "a:500:8000, 100, 8001, InsufficientGpuMemory",
    "a:250:3000 b:250:3000 c:250:3000 d:250:3000, 1, 1, InsufficientGpuCompute",
    "whole, 1, 1, InsufficientGpu",
  })
  void shareFitsOnlyWithinComputeAndMemory(String tenants, int milli, long mem, String code) {
    var f = new PluginFixture(tenants);
    var s = new GpuFit().filter(f.cycle, f.pod("a", PodShape.share(0, 0, milli, mem)), f.card0());
    assertThat(s.passes()).isEqualTo(code.isEmpty());
    assertThat(s.reasonCode()).isEqualTo(code);
  }

  @ParameterizedTest(name = "[{0}] + {1} whole -> {2}")
  @CsvSource({
    "'', 2, ''",
    "a:1:1, 1, ''",
    "a:1:1, 2, InsufficientGpu",
    "whole, 2, InsufficientGpu",
  })
  void wholeGpusNeedEmptyCards(String tenants, int gpus, String code) {
    var f = new PluginFixture(tenants);
    var s = new GpuFit().filter(f.cycle, f.pod("a", PodShape.whole(0, 0, gpus)), f.wholeNode());
    assertThat(s.passes()).isEqualTo(code.isEmpty());
    assertThat(s.reasonCode()).isEqualTo(code);
  }
}
