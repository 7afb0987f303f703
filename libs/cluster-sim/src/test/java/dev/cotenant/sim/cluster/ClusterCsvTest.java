package dev.cotenant.sim.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ClusterCsvTest {

  private static final String HEADER =
      "name,cpu_milli,memory_mib,num_gpu,gpu_model,gpu_memory_mib\n";
  private static final String GOOD_GPU = "gpu-a,6000,32768,4,TITAN-Xp,12288\n";
  private static final String GOOD_CPU = "cpu-a,10000,32768,0,,0\n";

  private static final NodeSpec SEED001 =
      new NodeSpec("seed001-gpu", 6000, 32768, 4, "TITAN-Xp", 12288);
  private static final NodeSpec SEED000 = new NodeSpec("seed000-worker", 10000, 32768, 0, "", 0);

  @Test
  void defaultClusterIsTheTwoSeedMachines() {
    assertThat(ClusterCsv.defaultCluster()).containsExactly(SEED001, SEED000);
  }

  @Test
  void writeThenReadRoundTrips() {
    List<NodeSpec> nodes =
        List.of(
            SEED001,
            SEED000,
            new NodeSpec("rack-2.a100-0", 64000, 515072, 8, "A100-SXM4-80GB", 81920),
            new NodeSpec("tiny", 1, 1, 1, "T4", 15360));

    String csv = ClusterCsv.write(nodes);

    assertThat(read(csv)).isEqualTo(nodes);
    assertThat(ClusterCsv.write(read(csv))).isEqualTo(csv);
  }

  @Test
  void writesTheHeaderAndOneLinePerNode() {
    assertThat(ClusterCsv.write(List.of(SEED001, SEED000)))
        .isEqualTo(
            HEADER
                + "seed001-gpu,6000,32768,4,TITAN-Xp,12288\n"
                + "seed000-worker,10000,32768,0,,0\n");
  }

  @Test
  void writeRefusesWhatCouldNotBeReadBack() {
    assertThatThrownBy(() -> ClusterCsv.write(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ClusterCsv.write(List.of(SEED000, SEED000)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("seed000-worker");
  }

  @Test
  void columnsMayComeInAnyOrderAndValuesMayBePadded() {
    String csv =
        "gpu_memory_mib, gpu_model ,num_gpu,memory_mib,cpu_milli,name\n"
            + "12288, TITAN-Xp, 4, 32768, 6000, seed001-gpu\n"
            + ",,0,32768,10000,seed000-worker\n";

    assertThat(read(csv)).containsExactly(SEED001, SEED000);
  }

  @Test
  void readsQuotedFieldsAndCrlfLineEndings() {
    String csv =
        "\uFEFF"
            + HEADER.replace("\n", "\r\n")
            + "\"seed001-gpu\",6000,32768,4,\"TITAN-Xp\",12288\r\n";

    assertThat(read(csv)).containsExactly(SEED001);
  }

  @Test
  void readsAFileAndNamesItInErrors(@TempDir Path dir) throws Exception {
    Path good = Files.writeString(dir.resolve("good.csv"), HEADER + GOOD_GPU);
    Path bad = Files.writeString(dir.resolve("bad.csv"), HEADER + "x,1,1,1,,1\n");

    assertThat(ClusterCsv.read(good)).extracting(NodeSpec::name).containsExactly("gpu-a");
    assertThatThrownBy(() -> ClusterCsv.read(bad))
        .isInstanceOf(ClusterFormatException.class)
        .hasMessageStartingWith(bad + ":2:5: gpu_model ");
    assertThatThrownBy(() -> ClusterCsv.read(dir.resolve("absent.csv")))
        .isInstanceOf(UncheckedIOException.class);
  }

  @Test
  void reportsErrorsLikeACompiler() {
    String csv = "# two nodes\n" + HEADER + GOOD_GPU + "b,abc,1,0,,0\n";

    ClusterFormatException e = readFailure(csv);

    assertThat(e).hasMessage("cluster.csv:4:2: cpu_milli must be a positive integer, got 'abc'");
    assertThat(e.file()).isEqualTo("cluster.csv");
    assertThat(e.line()).isEqualTo(4);
    assertThat(e.column()).isEqualTo(2);
  }

  /** Commons CSV places a record before the comments in front of it; lines must not drift. */
  @ParameterizedTest(name = "line ending {index}")
  @ValueSource(strings = {"\n", "\r\n", "\r"})
  void commentsAndBlankLinesDoNotShiftLineNumbers(String eol) {
    String csv =
        String.join(
            eol,
            "# comment", //                                   1
            "", //                                            2
            "#", //                                           3
            "name,cpu_milli,memory_mib,num_gpu,gpu_model,gpu_memory_mib", // 4
            "", //                                            5
            "# the GPU box", //                               6
            "gpu-a,6000,32768,4,TITAN-Xp,12288", //           7
            "   ", //                                         8
            "", //                                            9
            "# comment", //                                   10
            "#, with, commas", //                             11
            "", //                                            12
            "cpu-a,10000,32768,0,,0", //                      13
            "# comment", //                                   14
            "", //                                            15
            "cpu-b,10000,32768,0,,-1", //                     16
            "# trailing comment",
            "");

    ClusterFormatException e = readFailure(csv);

    assertThat(e.line()).isEqualTo(16);
    assertThat(e.column()).isEqualTo(6);
    assertThat(read(csv.replace(",-1", ",0"))).hasSize(3);
  }

  @Test
  void reportsTheLastLineEvenWithoutATrailingNewline() {
    ClusterFormatException e = readFailure(HEADER + GOOD_GPU + "#\n\ncpu-b,0,1,0,,0");

    assertThat(e.line()).isEqualTo(5);
    assertThat(e.column()).isEqualTo(2);
  }

  record Bad(String why, String csv, int line, int column, String mentions) {
    @Override
    public String toString() {
      return why;
    }
  }

  static Stream<Bad> badFiles() {
    return Stream.of(
        new Bad("empty file", "", 1, 1, "header"),
        new Bad("only comments and blanks", "# nothing\n\n# here\n", 1, 1, "header"),
        new Bad("header but no nodes", "# c\n\n" + HEADER + "# none yet\n", 1, 1, "no nodes"),
        new Bad(
            "missing column",
            "# c\n" + "name,cpu_milli,memory_mib,num_gpu,gpu_model\n" + "a,1,1,0,\n",
            2,
            1,
            "gpu_memory_mib"),
        new Bad(
            "unknown extra column",
            HEADER.replace("\n", ",zone,rack\n") + "a,1,1,0,,0,z,r\n",
            1,
            7,
            "'zone', 'rack'"),
        new Bad(
            "column twice in header",
            HEADER.replace("\n", ",num_gpu\n") + "a,1,1,0,,0,0\n",
            1,
            7,
            "num_gpu"),
        new Bad(
            "nameless header column",
            "name,cpu_milli,,memory_mib,num_gpu,gpu_model,gpu_memory_mib\n",
            1,
            3,
            "column 3"),
        new Bad("too few fields", HEADER + GOOD_GPU + "a,1,1,0,\n", 3, 1, "got 5"),
        new Bad("too many fields", HEADER + "\n" + "a,1,1,0,,0,extra\n", 3, 1, "got 7"),
        new Bad("empty name", HEADER + ",1,1,0,,0\n", 2, 1, "name"),
        new Bad("upper-case name", HEADER + "Node-A,1,1,0,,0\n", 2, 1, "name"),
        new Bad("name starting with '-'", HEADER + "-node,1,1,0,,0\n", 2, 1, "name"),
        new Bad("name with '_'", HEADER + "node_a,1,1,0,,0\n", 2, 1, "name"),
        new Bad("name too long", HEADER + "a".repeat(254) + ",1,1,0,,0\n", 2, 1, "name"),
        new Bad(
            "duplicate name points at the second",
            HEADER + GOOD_GPU + GOOD_CPU + "# again\n" + GOOD_GPU,
            5,
            1,
            "name 'gpu-a' is already used on line 2"),
        new Bad("cpu_milli zero", HEADER + "a,0,1,0,,0\n", 2, 2, "cpu_milli"),
        new Bad("cpu_milli not a number", HEADER + "a,1.5,1,0,,0\n", 2, 2, "cpu_milli"),
        new Bad(
            "cpu_milli overflows", HEADER + "a,99999999999999999999,1,0,,0\n", 2, 2, "cpu_milli"),
        new Bad("memory_mib negative", HEADER + "a,1,-1,0,,0\n", 2, 3, "memory_mib"),
        new Bad("memory_mib empty", HEADER + "a,1,,0,,0\n", 2, 3, "memory_mib"),
        new Bad("num_gpu above 16", HEADER + "a,1,1,17,M,1\n", 2, 4, "num_gpu"),
        new Bad("num_gpu negative", HEADER + "a,1,1,-1,,0\n", 2, 4, "num_gpu"),
        new Bad("num_gpu empty", HEADER + "a,1,1,,,0\n", 2, 4, "num_gpu"),
        new Bad("GPUs without a model", HEADER + "a,1,1,2,,1024\n", 2, 5, "gpu_model"),
        new Bad("model with a space", HEADER + "a,1,1,2,Titan Xp,1024\n", 2, 5, "gpu_model"),
        new Bad("model without GPUs", HEADER + "a,1,1,0,T4,0\n", 2, 5, "gpu_model"),
        new Bad("GPUs without memory", HEADER + "a,1,1,2,T4,\n", 2, 6, "gpu_memory_mib"),
        new Bad("GPUs with zero memory", HEADER + "a,1,1,2,T4,0\n", 2, 6, "gpu_memory_mib"),
        new Bad("GPU memory without GPUs", HEADER + "a,1,1,0,,1024\n", 2, 6, "gpu_memory_mib"),
        new Bad(
            "column follows the file's order",
            "cpu_milli,name,memory_mib,num_gpu,gpu_model,gpu_memory_mib\n" + "x,a,1,0,,0\n",
            2,
            1,
            "cpu_milli"),
        new Bad(
            "unbalanced quote in the header",
            "# c\n\"name,cpu_milli,memory_mib,num_gpu,gpu_model,gpu_memory_mib\n",
            2,
            1,
            "malformed CSV"),
        new Bad(
            "unbalanced quote points where it opens",
            HEADER + GOOD_GPU + "# c\n\n" + "b,\"1,1,0,,0\n" + GOOD_CPU + "c,1,1,0,,0\n",
            5,
            1,
            "malformed CSV"),
        new Bad(
            "junk after a quoted field",
            HEADER + GOOD_GPU + "\"a\"x,1,1,0,,0\n",
            3,
            1,
            "malformed CSV"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badFiles")
  void rejectsBadFilesPointingAtLineAndColumn(Bad bad) {
    ClusterFormatException e = readFailure(bad.csv());

    assertThat(e.line()).as("line").isEqualTo(bad.line());
    assertThat(e.column()).as("column").isEqualTo(bad.column());
    assertThat(e)
        .hasMessageStartingWith("cluster.csv:" + bad.line() + ":" + bad.column() + ": ")
        .hasMessageContaining(bad.mentions());
  }

  private static List<NodeSpec> read(String csv) {
    return ClusterCsv.read(new StringReader(csv), "cluster.csv");
  }

  private static ClusterFormatException readFailure(String csv) {
    ClusterFormatException e = catchThrowableOfType(ClusterFormatException.class, () -> read(csv));
    assertThat(e).as("expected a ClusterFormatException for:%n%s", csv).isNotNull();
    return e;
  }
}
