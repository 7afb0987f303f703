package dev.cotenant.sim.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cotenant.sim.csv.CsvFormatException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class WorkloadCsvTest {

  private static final String HEADER =
      "name,app,submit_time_s,solo_duration_s,replicas,cpu_milli,memory_mib,num_gpu,gpu_milli,"
          + "gpu_memory_mib\n";
  // Columns:   1  2       3    4   5  6     7     8  9  10
  private static final String GOOD = "a,resnet,0,60,1,1000,2048,0,0,0\n";

  private static final WorkloadJob TRAIN =
      new WorkloadJob("train-0", "resnet50", 0, 3600, new Replicas.Fixed(2), 4000, 16384, 1, 0, 0);
  private static final WorkloadJob INFER =
      new WorkloadJob(
          "infer-1", "bert_base.v2", 12.5, 0.25, new Replicas.Fixed(1), 500, 1024, 0, 250, 4096);
  private static final WorkloadJob FAN_OUT =
      new WorkloadJob("sweep", "xgboost", 90, 1800, new Replicas.Auto(30), 2000, 4096, 0, 0, 0);

  @Test
  void readsCommentsAnyColumnOrderPaddingAndAutoReplicas() {
    String csv =
        "# a small mixed workload\n"
            + "\n"
            + "replicas, gpu_memory_mib ,gpu_milli,num_gpu,memory_mib,cpu_milli,solo_duration_s,"
            + "submit_time_s,app,name\n"
            + "# whole GPU training job\n"
            + "2,,,1,16384,4000,3600.0,0,resnet50,train-0\n"
            + "   \n"
            + " 1 , 4096 , 250 , 0 , 1024 , 500 , 0.250 , 12.5 , bert_base.v2 , infer-1 \n"
            + "auto:30,0,0,0,4096,2000,1800,90.000,\"xgboost\",sweep\n"
            + "# trailing comment\n";

    List<WorkloadJob> jobs = read(csv);

    assertThat(jobs).containsExactly(TRAIN, INFER, FAN_OUT);
    assertThat(jobs.get(2).replicas()).isEqualTo(new Replicas.Auto(30));
    assertThat(jobs).extracting(WorkloadJob::usesGpu).containsExactly(true, true, false);
    assertThat(jobs).extracting(WorkloadJob::isGpuShare).containsExactly(false, true, false);
  }

  @Test
  void anOptionalWorkColumnDeclaresWorkAndWritesBack() {
    String csv =
        HEADER.replace("\n", ",work\n")
            + "a,resnet,0,60,1,1000,2048,0,0,0,1500.5\n"
            + "b,resnet,0,60,1,1000,2048,0,0,0,\n";
    List<WorkloadJob> jobs = read(csv);
    assertThat(jobs.get(0).work()).hasValue(1500.5);
    assertThat(jobs.get(1).work()).isEmpty();
    assertThat(jobs.get(0).declared().work()).hasValue(1500.5);
    assertThat(read(WorkloadCsv.write(jobs))).isEqualTo(jobs);
    // Without any declared work the file is written as it always was.
    assertThat(WorkloadCsv.write(List.of(TRAIN))).doesNotContain("work");
  }

  @Test
  void aBadWorkValueNamesTheColumn() {
    for (String bad : List.of("-3", "0", "NaN", "1e3", "lots")) {
      String csv =
          HEADER.replace("\n", ",work\n") + "a,resnet,0,60,1,1000,2048,0,0,0," + bad + "\n";
      CsvFormatException e = catchThrowableOfType(() -> read(csv), CsvFormatException.class);
      assertThat(e).as(bad).isNotNull();
      assertThat(e.getMessage()).contains(":2:11:").contains("work must be a decimal number > 0");
    }
  }

  @Test
  void writeThenReadRoundTrips() {
    List<WorkloadJob> jobs =
        List.of(
            TRAIN,
            INFER,
            FAN_OUT,
            new WorkloadJob("tiny", "x", 0.1, 1e-7, new Replicas.Fixed(10_000), 0, 0, 0, 1, 1),
            new WorkloadJob(
                "huge", "y", 1e22, 123456.789, new Replicas.Auto(1), Long.MAX_VALUE, 0, 16, 0, 0),
            new WorkloadJob(
                "odd", "z", 1.0 / 3, Double.MIN_VALUE, new Replicas.Auto(10_000), 1, 1, 0, 1000, 1),
            new WorkloadJob(
                "neg-zero", "z", -0.0, Double.MAX_VALUE, new Replicas.Fixed(3), 1, 1, 0, 0, 0));

    String csv = WorkloadCsv.write(jobs);

    assertThat(read(csv)).isEqualTo(jobs);
    assertThat(WorkloadCsv.write(read(csv))).isEqualTo(csv);
    assertThat(csv).doesNotContain("E");
  }

  @Test
  void writesTheHeaderAndOneLinePerJob() {
    assertThat(WorkloadCsv.write(List.of(TRAIN, INFER, FAN_OUT)))
        .isEqualTo(
            HEADER
                + "train-0,resnet50,0,3600,2,4000,16384,1,0,0\n"
                + "infer-1,bert_base.v2,12.5,0.25,1,500,1024,0,250,4096\n"
                + "sweep,xgboost,90,1800,auto:30,2000,4096,0,0,0\n");
  }

  @Test
  void writeRefusesWhatCouldNotBeReadBack() {
    assertThatThrownBy(() -> WorkloadCsv.write(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one job");
    assertThatThrownBy(() -> WorkloadCsv.write(List.of(TRAIN, TRAIN)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("train-0");
  }

  @Test
  void readsAFileAndNamesItInErrors(@TempDir Path dir) throws Exception {
    Path good = Files.writeString(dir.resolve("good.csv"), "\uFEFF" + HEADER + GOOD);
    Path bad = Files.writeString(dir.resolve("bad.csv"), HEADER + GOOD.replace(",60,", ",0,"));

    assertThat(WorkloadCsv.read(good)).extracting(WorkloadJob::name).containsExactly("a");
    assertThatThrownBy(() -> WorkloadCsv.read(bad))
        .isInstanceOf(CsvFormatException.class)
        .hasMessageStartingWith(bad + ":2:4: solo_duration_s ");
    assertThatThrownBy(() -> WorkloadCsv.read(dir.resolve("absent.csv")))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("workload file");
  }

  @Test
  void reportsErrorsLikeACompiler() {
    CsvFormatException e = readFailure("# jobs\n" + HEADER + GOOD + "b,resnet,0,60,0,1,1,0,0,0\n");

    assertThat(e)
        .hasMessage(
            "workload.csv:4:5: replicas must be an integer from 1 to 10000 or auto:MAX with MAX"
                + " from 1 to 10000, got '0'");
    assertThat(e.file()).isEqualTo("workload.csv");
    assertThat(e.line()).isEqualTo(4);
    assertThat(e.column()).isEqualTo(5);
  }

  record Bad(String why, String csv, int line, int column, String mentions) {
    @Override
    public String toString() {
      return why;
    }
  }

  /** A file whose third line is {@link #GOOD} with field {@code column} (1-based) replaced. */
  private static Bad field(String why, int column, String value, String mentions) {
    List<String> fields = new ArrayList<>(Arrays.asList(GOOD.strip().split(",", -1)));
    fields.set(column - 1, value);
    String row = String.join(",", fields) + "\n";
    return new Bad(why, HEADER + GOOD.replace("a,", "first,") + row, 3, column, mentions);
  }

  /** A file whose second line is {@code row}. */
  private static Bad row(String why, String row, int column, String mentions) {
    return new Bad(why, HEADER + row + "\n", 2, column, mentions);
  }

  static Stream<Bad> badFiles() {
    return Stream.of(
        // File and header
        new Bad("empty file", "", 1, 1, "header"),
        new Bad("only comments and blanks", "# nothing\n  \n# here\n", 1, 1, "header"),
        new Bad("header but no jobs", "# c\n\n" + HEADER + "# none yet\n", 1, 1, "no jobs"),
        new Bad(
            "missing column",
            "# c\n" + HEADER.replace(",gpu_milli", "") + "a,r,0,1,1,1,1,0,0\n",
            2,
            1,
            "missing column(s) gpu_milli"),
        new Bad(
            "unknown column",
            HEADER.replace("\n", ",priority\n") + GOOD.replace("\n", ",9\n"),
            1,
            11,
            "'priority'"),
        new Bad(
            "column twice in header",
            HEADER.replace("\n", ",app\n") + GOOD.replace("\n", ",r\n"),
            1,
            11,
            "column app appears twice"),
        new Bad("nameless header column", HEADER.replace(",app,", ",,app,"), 1, 2, "column 2"),
        new Bad("too few fields", HEADER + GOOD + "b,r,0,1,1,1,1,0,0\n", 3, 1, "got 9"),
        new Bad("too many fields", HEADER + "\n" + GOOD.replace("\n", ",x\n"), 3, 1, "got 11"),
        new Bad(
            "unbalanced quote points where it opens",
            HEADER + GOOD + "# c\n\n" + "b,\"r,0,1,1,1,1,0,0,0\n" + "c,r,0,1,1,1,1,0,0,0\n",
            5,
            1,
            "malformed CSV"),
        // name
        field("empty name", 1, "", "name must not be empty: it must be a DNS-1123 label"),
        field("upper-case name", 1, "Job", "name"),
        field("name with a dot (a label, not a subdomain)", 1, "job.a", "DNS-1123 label"),
        field("name with '_'", 1, "job_a", "name"),
        field("name ending with '-'", 1, "job-", "name"),
        field("name of 64 characters", 1, "a".repeat(64), "name"),
        new Bad(
            "duplicate name points at the second",
            HEADER + GOOD + "b,r,0,1,1,1,1,0,0,0\n# again\n" + GOOD,
            5,
            1,
            "name 'a' is already used on line 2"),
        // app
        field("empty app", 2, "", "app must not be empty: it must be a profile key"),
        field("app with a space", 2, "res net", "app"),
        field("app with a slash", 2, "a/b", "app"),
        // submit_time_s
        field("negative submit time", 3, "-1", "submit_time_s"),
        field("submit time with an exponent", 3, "1e3", "submit_time_s"),
        field("submit time empty", 3, "", "submit_time_s"),
        field("submit time 'NaN'", 3, "NaN", "submit_time_s"),
        field("submit time beyond a double", 3, "9".repeat(400), "submit_time_s"),
        // solo_duration_s
        field("zero duration", 4, "0", "solo_duration_s must be a decimal number > 0"),
        field("duration '0.000'", 4, "0.000", "solo_duration_s"),
        field("duration 'Infinity'", 4, "Infinity", "solo_duration_s"),
        field("duration with a unit", 4, "60s", "solo_duration_s"),
        field("duration with a trailing dot", 4, "60.", "solo_duration_s"),
        // replicas
        field("zero replicas", 5, "0", "replicas"),
        field("too many replicas", 5, "10001", "replicas"),
        field("auto without max", 5, "auto", "replicas"),
        field("auto:0", 5, "auto:0", "replicas"),
        field("auto above the limit", 5, "auto:10001", "replicas"),
        field("upper-case AUTO", 5, "AUTO:3", "replicas"),
        field("fractional replicas", 5, "1.5", "replicas"),
        field("replicas empty", 5, "", "replicas"),
        // cpu_milli, memory_mib
        field("negative cpu_milli", 6, "-1", "cpu_milli must be an integer >= 0"),
        field("cpu_milli empty", 6, "", "cpu_milli"),
        field("cpu_milli overflows", 6, "99999999999999999999", "cpu_milli"),
        field("fractional memory_mib", 7, "1.5", "memory_mib"),
        field("memory_mib with a unit", 7, "2Gi", "memory_mib"),
        // num_gpu
        field("num_gpu above 16", 8, "17", "num_gpu must be an integer from 0 to 16"),
        field("num_gpu negative", 8, "-1", "num_gpu"),
        field("num_gpu empty", 8, "", "num_gpu"),
        // gpu_milli, gpu_memory_mib
        field("gpu_milli above 1000", 9, "1001", "gpu_milli"),
        field("gpu_milli negative", 9, "-5", "gpu_milli"),
        row(
            "gpu_milli with whole GPUs",
            "a,r,0,1,1,1,1,2,500,0",
            9,
            "gpu_milli must be 0 or empty"),
        row("GPU memory with whole GPUs", "a,r,0,1,1,1,1,2,,1024", 10, "gpu_memory_mib"),
        row(
            "GPU share without GPU memory",
            "a,r,0,1,1,1,1,0,500,0",
            10,
            "a GPU share needs gpu_memory_mib > 0"),
        row("GPU share with empty memory", "a,r,0,1,1,1,1,0,500,", 10, "gpu_memory_mib > 0"),
        row("GPU memory without a share", "a,r,0,1,1,1,1,0,0,1024", 10, "gpu_memory_mib"),
        row("GPU share memory negative", "a,r,0,1,1,1,1,0,500,-1", 10, "gpu_memory_mib"),
        // Columns count in the file's own order.
        new Bad(
            "column follows the file's order",
            "cpu_milli,name,app,submit_time_s,solo_duration_s,replicas,memory_mib,num_gpu,"
                + "gpu_milli,gpu_memory_mib\n"
                + "1,a,r,0,1,auto:x,1,0,0,0\n",
            2,
            6,
            "replicas"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badFiles")
  void rejectsBadFilesPointingAtLineAndColumn(Bad bad) {
    CsvFormatException e = readFailure(bad.csv());

    assertThat(e.line()).as("line").isEqualTo(bad.line());
    assertThat(e.column()).as("column").isEqualTo(bad.column());
    assertThat(e)
        .hasMessageStartingWith("workload.csv:" + bad.line() + ":" + bad.column() + ": ")
        .hasMessageContaining(bad.mentions());
  }

  private static List<WorkloadJob> read(String csv) {
    return WorkloadCsv.read(new StringReader(csv), "workload.csv");
  }

  private static CsvFormatException readFailure(String csv) {
    CsvFormatException e = catchThrowableOfType(CsvFormatException.class, () -> read(csv));
    assertThat(e).as("expected a CsvFormatException for:%n%s", csv).isNotNull();
    return e;
  }
}
