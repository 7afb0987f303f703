package dev.cotenant.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cotenant.sim.cluster.ClusterCsv;
import dev.cotenant.sim.cluster.NodeSpec;
import dev.cotenant.testsupport.Ports;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code cluster generate} and {@code up --cluster}, without starting anything. */
class ClusterCommandTest {

  private record Result(int exit, String out, String err) {}

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new Cotenant());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }

  @Test
  void generatesAClusterFileThatReadsBack() throws Exception {
    Path file = Files.createTempDirectory("clusters").resolve("sub/big.csv");
    Result result =
        run(
            "cluster",
            "generate",
            "--nodes",
            "1000",
            "--gpus-per-node",
            "8",
            "--gpu-model",
            "A100",
            "--gpu-memory-mib",
            "40960",
            "--cpu-milli",
            "64000",
            "--memory-mib",
            "262144",
            "--out",
            file.toString());

    assertThat(result.exit()).as(result.err()).isZero();
    assertThat(result.out()).contains("1000 nodes, 8000 GPUs");
    List<NodeSpec> nodes = ClusterCsv.read(file);
    assertThat(nodes).hasSize(1000);
    assertThat(nodes.get(0)).isEqualTo(new NodeSpec("node-0000", 64000, 262144, 8, "A100", 40960));
    assertThat(nodes.get(999).name()).isEqualTo("node-0999");
    assertThat(Files.readAllLines(file).get(2)).isEqualTo(String.join(",", ClusterCsv.COLUMNS));
  }

  @Test
  void generateRejectsNodesTheFormatCannotHold() {
    Result result =
        run("cluster", "generate", "--nodes", "2", "--gpus-per-node", "40", "--out", "x.csv");
    assertThat(result.exit()).isEqualTo(Cotenant.EXIT_USAGE);
    assertThat(result.err()).contains("numGpu must be between 0 and 16");
  }

  @Test
  void upNamesTheOptionWhenTheClusterFileIsMissing() throws Exception {
    Path home = Files.createTempDirectory("launcher");
    System.setProperty("cotenant.home", home.toString());
    try {
      Result result = run("up", "--cluster", "no-such-cluster.csv");
      assertThat(result.exit()).isEqualTo(Cotenant.EXIT_USAGE);
      assertThat(result.err())
          .contains("--cluster: no such file: ")
          .contains(Path.of("no-such-cluster.csv").toAbsolutePath().toString());
      assertThat(home.resolve("run")).doesNotExist(); // nothing was started
    } finally {
      System.clearProperty("cotenant.home");
    }
  }

  @Test
  void theLauncherPassesTheClusterFileToTheStackAsAnAbsolutePath() {
    Map<String, Integer> free = new LinkedHashMap<>();
    LaunchPorts.DEFAULTS.keySet().forEach(name -> free.put(name, Ports.free()));
    Path relative = Path.of("deploy/clusters/large-1000x8.csv");
    var launcher =
        new StackLauncher(
            Path.of("."),
            Path.of("home"),
            new LaunchPorts(free),
            Optional.empty(),
            Optional.of(relative));
    assertThat(launcher.components().get(0).programArgs())
        .contains("--cluster=" + relative.toAbsolutePath().normalize());
    var withoutCluster =
        new StackLauncher(Path.of("."), Path.of("home"), new LaunchPorts(free), Optional.empty());
    assertThat(withoutCluster.components().get(0).programArgs())
        .noneMatch(arg -> arg.startsWith("--cluster"));
  }

  @Test
  void describesTheDefaultClusterAndAFile() throws Exception {
    assertThat(Cotenant.describeCluster(Optional.empty()))
        .isEqualTo("cluster: 2 nodes, 4 GPUs (local-stack's default)");
    Path file = Files.createTempFile("cluster", ".csv");
    Files.writeString(
        file, ClusterCsv.write(ClusterCommand.uniform("gpu", 3, 1000, 1024, 2, "T4", 16384)));
    assertThat(Cotenant.describeCluster(Optional.of(file)))
        .isEqualTo("cluster: 3 nodes, 6 GPUs (" + file + ")");
  }
}
