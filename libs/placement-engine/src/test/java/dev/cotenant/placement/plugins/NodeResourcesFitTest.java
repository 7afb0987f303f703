package dev.cotenant.placement.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cotenant.placement.model.PodShape;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NodeResourcesFitTest {

  @ParameterizedTest(name = "cpu {0}, mem {1} -> {2}")
  @CsvSource({
    "8000, 32000, ''",
    "8001, 100, InsufficientCpu",
    "100, 32001, InsufficientMemory",
    "9000, 40000, InsufficientCpu",
  })
  void fitsOrSaysWhichResourceIsShort(long cpu, long mem, String code) {
    var f = new PluginFixture("");
    var s = new NodeResourcesFit().filter(f.cycle, f.pod("a", PodShape.cpu(cpu, mem)), f.card0());
    assertThat(s.passes()).isEqualTo(code.isEmpty());
    assertThat(s.reasonCode()).isEqualTo(code);
  }
}
