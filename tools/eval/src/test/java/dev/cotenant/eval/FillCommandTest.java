package dev.cotenant.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FillCommandTest {

  @TempDir static Path dir;

  static final String NODES =
      "sn,cpu_milli,memory_mib,gpu,model\nn0,64000,262144,2,T4\n" + "n1,64000,262144,8,V100M16\n";
  static final String PODS =
      "name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,"
          + "deletion_time,scheduled_time\n"
          + "p0,4000,8192,1,500,,LS,Running,0,10,0\n"
          + "p1,8000,16384,1,1000,V100M16|V100M32,LS,Running,0,10,0\n"
          + "p2,8000,16384,0,0,,BE,Failed,0,10,0\n"
          + "p3,16000,32768,4,1000,,LS,Pending,0,10,0\n";

  static Path write(String name, String content) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, content);
    return p;
  }

  @Test
  void openbFilesRunAndWriteFillJsonAsTheIssueSpecifies() throws Exception {
    Path nodes = write("nodes.csv", NODES);
    Path pods = write("pods.csv", PODS);
    Path out = dir.resolve("out");
    EvalCommandTest.Run r =
        EvalCommandTest.eval(
            "fill",
            "--nodes",
            nodes.toString(),
            "--pods",
            pods.toString(),
            "--seeds",
            "3",
            "--out",
            out.toString());

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("2 nodes, 10 GPUs, 4 pods").contains("fgd").contains("best-fit");
    JsonNode json = new ObjectMapper().readTree(out.resolve("fill.json").toFile());
    assertThat(json.isArray()).isTrue();
    assertThat(json).hasSize(FillCommand.DEFAULT_POLICIES.size());
    for (JsonNode policy : json) {
      assertThat(names(policy.fieldNames()))
          .containsExactly("policy", "unallocatedPercent", "unallocatedPercentSd");
      assertThat(names(policy.get("unallocatedPercent").fieldNames()))
          .containsExactly("90", "95", "100", "110", "120");
      assertThat(names(policy.get("unallocatedPercentSd").fieldNames()))
          .containsExactly("90", "95", "100", "110", "120");
    }
    assertThat(Files.readString(out.resolve("fill.svg"))).startsWith("<?xml").contains("fgd");
  }

  @Test
  void projectFilesWithGpuSpecKeepTypedJobsOnTheirModel() throws Exception {
    Path cluster =
        write(
            "c.csv",
            "name,cpu_milli,memory_mib,num_gpu,gpu_model,gpu_memory_mib\n"
                + "t4,64000,262144,1,T4,15109\nv100,64000,262144,4,V100M16,16160\n");
    Path workload =
        write(
            "w.csv",
            "name,app,submit_time_s,solo_duration_s,replicas,cpu_milli,memory_mib,num_gpu,"
                + "gpu_milli,gpu_memory_mib,gpu_spec\n"
                + "typed,a,0,10,3,1000,1024,1,0,0,T4\n");
    EvalCommandTest.Run r =
        EvalCommandTest.eval(
            "fill",
            "--cluster",
            cluster.toString(),
            "--workload",
            workload.toString(),
            "--seeds",
            "1",
            "--inflate",
            "1");
    assertThat(r.exit()).as(r.err()).isZero();
    // Whole T4 cards asked for (the trace's 3, then samples up to 100% of the 5 GPUs), one T4 in
    // the cluster: at 100% arrived 1 of 5 GPUs is allocated, 80% is not, though the V100s are free.
    assertThat(r.out()).contains("2 nodes, 5 GPUs, 3 pods");
    assertThat(r.out().lines().filter(l -> l.startsWith("fgd")).findFirst().orElseThrow())
        .contains("80.00 ± 0.00");
    Path bad =
        write(
            "bad-w.csv",
            "name,app,submit_time_s,solo_duration_s,replicas,cpu_milli,memory_mib,num_gpu,"
                + "gpu_milli,gpu_memory_mib,gpu_spec\n"
                + "cpu,a,0,10,1,1000,1024,0,0,0,T4\n");
    EvalCommandTest.Run badRun =
        EvalCommandTest.eval("fill", "--cluster", cluster.toString(), "--workload", bad.toString());
    assertThat(badRun.exit()).isEqualTo(EvalCommand.BAD_INPUT);
    assertThat(badRun.err()).contains("--workload: ").contains(":2:11").contains("gpu_spec must");
  }

  static Stream<Arguments> badInput() {
    return Stream.of(
        Arguments.of(List.of("--seeds", "0"), "--seeds"),
        Arguments.of(List.of("--inflate", "0.5"), "--inflate"),
        Arguments.of(List.of("--ties", "last"), "--ties"),
        Arguments.of(
            List.of("--policies", "best-fit,tetris"), "--policies: unknown policy 'tetris'"),
        Arguments.of(List.of("--scenario", "alibaba"), "--scenario: unknown scenario 'alibaba'"),
        Arguments.of(List.of("--nodes", "NODES"), "missing --pods"),
        Arguments.of(List.of("--nodes", "NODES", "--pods", "missing.csv"), "--pods: cannot read"),
        Arguments.of(List.of("--nodes", "NODES", "--pods", "BAD"), "--pods: "),
        Arguments.of(List.of("--scenario", "openb", "--nodes", "NODES"), "--scenario cannot"),
        Arguments.of(List.of("--nodes", "NODES", "--cluster", "NODES"), "cannot be combined"),
        Arguments.of(List.of(), "give --scenario openb"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("badInput")
  void badInputIsAMessageNamingTheFlag(List<String> args, String message) throws Exception {
    Path nodes = write("nodes.csv", NODES);
    Path bad = write("bad.csv", PODS.replace("p3,16000,32768,4,1000", "p3,16000,32768,4,500"));
    String[] argv =
        Stream.concat(Stream.of("fill"), args.stream())
            .map(a -> a.replace("NODES", nodes.toString()).replace("BAD", bad.toString()))
            .toArray(String[]::new);
    EvalCommandTest.Run r = EvalCommandTest.eval(argv);
    assertThat(r.exit()).isEqualTo(EvalCommand.BAD_INPUT);
    assertThat(r.err()).contains("cotenant eval fill: ").contains(message);
  }

  @Test
  void badRowNamesFileLineAndColumn() throws Exception {
    Path nodes = write("nodes.csv", NODES);
    Path bad = write("bad2.csv", PODS.replace("p3,16000,32768,4,1000", "p3,16000,32768,4,500"));
    EvalCommandTest.Run r =
        EvalCommandTest.eval("fill", "--nodes", nodes.toString(), "--pods", bad.toString());
    assertThat(r.err()).contains(bad + ":5:5").contains("gpu_milli must be 1000");
  }

  @Test
  void openbScenarioRunsByName() {
    EvalCommandTest.Run r =
        EvalCommandTest.eval(
            "fill", "--scenario", "openb", "--seeds", "1", "--policies", "best-fit");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("fill openb: 1213 nodes, 6212 GPUs, 8152 pods").contains("7.14");
  }

  private static List<String> names(java.util.Iterator<String> it) {
    List<String> names = new java.util.ArrayList<>();
    it.forEachRemaining(names::add);
    return names;
  }
}
