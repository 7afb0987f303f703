package dev.cotenant.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class EvalCommandTest {

  @TempDir Path dir;

  record Run(int exit, String out, String err) {}

  static Run eval(String... args) {
    System.setProperty("java.awt.headless", "true");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new EvalCommand());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  Path write(String name, String content) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, content);
    return p;
  }

  Path[] goodFiles() throws Exception {
    return new Path[] {
      write(
          "c.csv",
          "name,cpu_milli,memory_mib,num_gpu,gpu_model,gpu_memory_mib\nn1,8000,65536,2,P100,16384\n"),
      write(
          "w.csv",
          "name,app,submit_time_s,solo_duration_s,replicas,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_memory_mib\n"
              + "j1,a,0,100,1,1000,1024,0,500,4096\nj2,b,0,100,1,1000,1024,0,500,4096\n"
              + "j3,a,10,50,2,1000,1024,1,0,0\n"),
      write(
          "i.json",
          "{\"format\":\"cotenant.interference/v1\",\"device\":\"p100\",\"apps\":[{\"name\":\"a\"},{\"name\":\"b\"}],"
              + "\"pairs\":[{\"app\":\"a\",\"with\":\"b\",\"normalizedThroughput\":0.5}]}")
    };
  }

  @Test
  void filesRunAndWriteResultsJsonWithEveryField() throws Exception {
    Path[] f = goodFiles();
    Path out = dir.resolve("out");
    Run r =
        eval(
            "--cluster",
            f[0].toString(),
            "--workload",
            f[1].toString(),
            "--interference",
            f[2].toString(),
            "--policies",
            "binpack,interference-aware",
            // Without noise j1 and j2 end together, so j3 waits exactly once (see below).
            "--noise",
            "0",
            "--out",
            out.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("binpack").contains("interference-aware");
    JsonNode results = new ObjectMapper().readTree(out.resolve("results.json").toFile());
    assertThat(results.size()).isEqualTo(2);
    for (JsonNode row : results) {
      for (String field :
          new String[] {
            "policy",
            "makespanSeconds",
            "meanJctSeconds",
            "p95JctSeconds",
            "meanSlowdown",
            "gpuUtilization",
            "unallocatableGpuShare",
            "meanQueueSeconds",
            "decisionsPerSecond",
            "migrations"
          }) {
        assertThat(row.has(field)).as(field).isTrue();
      }
      assertThat(row.get("succeededJobs").asInt()).isEqualTo(3);
    }
    assertThat(Files.readString(out.resolve("policies.svg"))).startsWith("<?xml").contains("<svg");
    assertThat(out.resolve("jct-cdf.svg")).exists();
    // Every decision explained: chosen cards and the top candidates with per-plugin scores.
    var lines = Files.readAllLines(out.resolve("decisions-interference-aware.jsonl"));
    // j1, j2 placed; the 2-GPU gang j3 waits once (one reason per failing filter), then places.
    assertThat(lines).hasSize(4);
    JsonNode blocked = new ObjectMapper().readTree(lines.get(2)).get("decision");
    assertThat(blocked.get("placed").asBoolean()).isFalse();
    assertThat(blocked.get("reasons").get(0).get("code").asText()).isEqualTo("InsufficientGpu");
    JsonNode first = new ObjectMapper().readTree(lines.get(0)).get("decision");
    assertThat(first.get("placed").asBoolean()).isTrue();
    assertThat(first.get("placements").get(0).get("gpus").get(0).get("uuid").asText())
        .startsWith("GPU-");
    assertThat(first.get("topCandidates").get(0).get("pluginScores").has("InterferenceCost"))
        .isTrue();
  }

  @Test
  void aBadClusterFileNamesFileLineAndColumnAndExitsTwo() throws Exception {
    Path[] f = goodFiles();
    Path bad =
        write(
            "bad.csv",
            "name,cpu_milli,memory_mib,num_gpu,gpu_model,gpu_memory_mib\nn1,lots,1,0,,0\n");
    Run r =
        eval(
            "--cluster",
            bad.toString(),
            "--workload",
            f[1].toString(),
            "--interference",
            f[2].toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains(bad + ":2:2:").contains("cpu_milli");
  }

  @Test
  void aBadWorkloadOrInterferenceFileExitsTwoNamingTheSpot() throws Exception {
    Path[] f = goodFiles();
    Path badW =
        write(
            "bw.csv",
            "name,app,submit_time_s,solo_duration_s,replicas,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_memory_mib\n"
                + "j1,a,0,100,zero,1000,1024,0,500,4096\n");
    Run r =
        eval(
            "--cluster",
            f[0].toString(),
            "--workload",
            badW.toString(),
            "--interference",
            f[2].toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains(badW + ":2:5:").contains("replicas");
    Path badI = write("bi.json", "{\"format\":\"cotenant.interference/v1\",\n\"device\":3}");
    r =
        eval(
            "--cluster",
            f[0].toString(),
            "--workload",
            f[1].toString(),
            "--interference",
            badI.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains(badI + ":2:10:").contains("device");
  }

  @Test
  void unknownPolicyScenarioOrMissingFilesExitTwo() throws Exception {
    Path[] f = goodFiles();
    Run r =
        eval(
            "--cluster",
            f[0].toString(),
            "--workload",
            f[1].toString(),
            "--interference",
            f[2].toString(),
            "--policies",
            "fastest");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("unknown policy 'fastest'");
    assertThat(eval("--scenario", "nope").err()).contains("unknown scenario 'nope'");
    Run missing = eval("--cluster", f[0].toString());
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("--workload").contains("--interference");
    Run negative =
        eval("--scenario", "gavel-p100", "--migration-seconds", "-1", "--policies", "spread");
    assertThat(negative.exit()).isEqualTo(2);
    assertThat(negative.err()).contains("--migration-seconds must be a finite number >= 0");
    Run noisy = eval("--scenario", "gavel-p100", "--noise", "-0.1", "--policies", "spread");
    assertThat(noisy.exit()).isEqualTo(2);
    assertThat(noisy.err()).contains("--noise must be within [0, 2]");
    Run durations = eval("--scenario", "gavel-p100", "--durations", "oracle");
    assertThat(durations.exit()).isEqualTo(2);
    assertThat(durations.err()).contains("--durations").contains("exact, work, unknown");
    assertThat(
            eval(
                    "--cluster",
                    dir.resolve("absent.csv").toString(),
                    "--workload",
                    f[1].toString(),
                    "--interference",
                    f[2].toString())
                .err())
        .contains("cannot read");
  }

  @Test
  void seed000ScenarioPrintsTheCurveAndAuto() {
    Run r = eval("--scenario", "seed000");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("never fits").contains("auto (max 30): chose");
  }

  @Test
  void learnedKnowledgeReportsItsRegretAgainstTheOracle() throws Exception {
    Path out = dir.resolve("learned");
    Run r =
        eval(
            "--scenario",
            "seed001",
            "--knowledge",
            "learned",
            "--policies",
            "interference-aware",
            "--out",
            out.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("learned from an empty model").contains("regret_s");
    JsonNode json = new ObjectMapper().readTree(out.resolve("learning.json").toFile());
    assertThat(json.get("oracleMeanJctSeconds").asDouble()).isPositive();
    assertThat(json.get("windows")).isNotEmpty();
    assertThat(Files.readString(out.resolve("learning.svg"))).contains("<svg");
  }
}
