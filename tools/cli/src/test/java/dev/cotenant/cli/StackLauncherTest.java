package dev.cotenant.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cotenant.testsupport.Ports;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Launcher behaviour that needs no running stack. */
class StackLauncherTest {

  private static StackLauncher launcher(Path home, Path root) {
    Map<String, Integer> free = new LinkedHashMap<>();
    LaunchPorts.DEFAULTS.keySet().forEach(name -> free.put(name, Ports.free()));
    return new StackLauncher(root, home, new LaunchPorts(free), Optional.empty());
  }

  @Test
  void downLeavesAlonePidsThatAreNotOurs() throws Exception {
    Path home = Files.createTempDirectory("launcher");
    Files.createDirectories(home.resolve("run"));
    // A recorded PID now used by another program (here: this test JVM) must never be signalled.
    Files.writeString(
        home.resolve("run/job-api.pid"), String.valueOf(ProcessHandle.current().pid()));
    Files.writeString(
        home.resolve("run/postgres.pid"), String.valueOf(ProcessHandle.current().pid()));

    assertThat(launcher(home, Path.of(".")).down()).isEmpty();
    assertThat(ProcessHandle.current().isAlive()).isTrue();
    assertThat(home.resolve("run/job-api.pid")).doesNotExist();
  }

  @Test
  void statusIsDownForEveryComponentWhenNothingRuns() throws Exception {
    var status = launcher(Files.createTempDirectory("launcher"), Path.of(".")).status();
    assertThat(status).hasSize(7).noneMatch(StackLauncher.Status::up);
    assertThat(status.get(3).toString()).matches("job-api +DOWN http://127\\.0\\.0\\.1:\\d+");
  }

  @Test
  void upNamesTheComponentWhosePortIsTaken() throws Exception {
    Path home = Files.createTempDirectory("launcher");
    Path root = Files.createTempDirectory("root");
    try (ServerSocket squatter = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Map<String, Integer> taken = new LinkedHashMap<>();
      LaunchPorts.DEFAULTS.keySet().forEach(name -> taken.put(name, Ports.free()));
      taken.put("placement", squatter.getLocalPort());
      var launcher = new StackLauncher(root, home, new LaunchPorts(taken), Optional.empty());
      fakeArtifacts(root);
      assertThatThrownBy(() -> launcher.up(Duration.ofSeconds(5)))
          .isInstanceOf(StackLauncher.LaunchException.class)
          .hasMessageContaining("cannot start placement")
          .hasMessageContaining(String.valueOf(squatter.getLocalPort()))
          .hasMessageContaining("COTENANT_PLACEMENT_PORT");
    }
    assertThat(home.resolve("run/placement.pid")).doesNotExist();
  }

  @Test
  void upSaysWhatIsNotBuilt() throws Exception {
    var launcher =
        launcher(Files.createTempDirectory("launcher"), Files.createTempDirectory("root"));
    assertThatThrownBy(() -> launcher.up(Duration.ofSeconds(5)))
        .isInstanceOf(StackLauncher.LaunchException.class)
        .hasMessageContaining("local-stack is not built")
        .hasMessageContaining("./mvnw -DskipTests package");
  }

  @Test
  void upNamesTheComponentThatDiesAndItsLogThenStopsWhatItStarted() throws Exception {
    Path home = Files.createTempDirectory("launcher");
    Path root = Files.createTempDirectory("root");
    fakeArtifacts(root); // empty jars: every JVM exits at once with "Invalid or corrupt jarfile"
    var launcher = launcher(home, root);
    assertThatThrownBy(() -> launcher.up(Duration.ofSeconds(30)))
        .isInstanceOf(StackLauncher.LaunchException.class)
        .hasMessageMatching(
            "(?s)[a-z-]+ failed to start \\(exit code 1\\); see .*logs/[a-z-]+\\.log.*")
        .hasMessageContaining("corrupt jarfile");
    try (var pids = Files.list(home.resolve("run"))) {
      assertThat(pids.filter(f -> f.toString().endsWith(".pid"))).isEmpty();
    }
  }

  @Test
  void withoutKubeletsTheLocalStackIsToldSo() throws Exception {
    Path home = Files.createTempDirectory("launcher");
    var none = java.util.OptionalDouble.empty();
    assertThat(stackArgs(launcher(home, Path.of(".")).simulation(Optional.empty(), none, false)))
        .contains("--no-kubelets");
    assertThat(stackArgs(launcher(home, Path.of(".")).simulation(Optional.empty(), none)))
        .doesNotContain("--no-kubelets");
  }

  private static java.util.List<String> stackArgs(StackLauncher launcher) {
    return launcher.components().get(0).programArgs();
  }

  @Test
  void envNamesTheKubeconfigUpWritesAfterTheKubeUrl() throws Exception {
    Path home = Files.createTempDirectory("launcher");
    var env = launcher(home, Path.of(".")).environment();
    assertThat(env).containsEntry("KUBECONFIG", home.resolve("kubeconfig").toString());
    assertThat(Path.of(env.get("KUBECONFIG"))).isAbsolute();
    assertThat(env.keySet()).containsSubsequence("COTENANT_KUBE_URL", "KUBECONFIG");
  }

  @Test
  void logsRejectsUnknownComponentsNamingTheKnownOnes() throws Exception {
    Path home = Files.createTempDirectory("launcher");
    System.setProperty("cotenant.home", home.toString());
    try {
      var err = new java.io.StringWriter();
      var cli = new picocli.CommandLine(new Cotenant());
      cli.setErr(new java.io.PrintWriter(err));
      assertThat(cli.execute("logs", "nope")).isEqualTo(Cotenant.EXIT_USAGE);
      assertThat(err.toString()).contains("no component named 'nope'").contains("job-api");
    } finally {
      System.clearProperty("cotenant.home");
    }
  }

  private static void fakeArtifacts(Path root) throws Exception {
    Path stack = root.resolve("tools/local-stack/target/cotenant-local-stack.jar");
    Files.createDirectories(stack.getParent());
    Files.writeString(stack, "");
    for (String service : StackLauncher.SERVICES) {
      Path jar = root.resolve("services/" + service + "/target/quarkus-app/quarkus-run.jar");
      Files.createDirectories(jar.getParent());
      Files.writeString(jar, "");
    }
  }
}
