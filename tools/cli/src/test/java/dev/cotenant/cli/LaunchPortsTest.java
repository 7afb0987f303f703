package dev.cotenant.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LaunchPortsTest {

  @Test
  void defaultsAvoidTheUsualPortsAndEnvironmentOverridesOne() {
    LaunchPorts ports = LaunchPorts.fromEnvironment(Map.of("COTENANT_JOB_API_PORT", "28080"));
    assertThat(ports.get("job-api")).isEqualTo(28080);
    assertThat(ports.get("kafka")).isEqualTo(19092);
    assertThat(ports.byName().values())
        .doesNotContain(8080, 9092, 5432, 6443)
        .doesNotHaveDuplicates();
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "0", "70000", "-1"})
  void badPortNamesTheVariable(String value) {
    assertThatThrownBy(() -> LaunchPorts.fromEnvironment(Map.of("COTENANT_KAFKA_PORT", value)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("COTENANT_KAFKA_PORT")
        .hasMessageContaining(value);
  }

  @Test
  void savedPortsWinOverTheEnvironment() throws Exception {
    Path file = Files.createTempDirectory("ports").resolve("run/ports.properties");
    LaunchPorts.fromEnvironment(Map.of("COTENANT_POSTGRES_PORT", "25432")).save(file);
    LaunchPorts loaded = LaunchPorts.load(file, Map.of("COTENANT_POSTGRES_PORT", "35432"));
    assertThat(loaded.get("postgres")).isEqualTo(25432);
    assertThat(LaunchPorts.load(file.resolveSibling("none"), Map.of()).get("postgres"))
        .isEqualTo(15432);
  }
}
