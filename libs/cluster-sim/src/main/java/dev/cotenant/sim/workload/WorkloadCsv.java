package dev.cotenant.sim.workload;

import dev.cotenant.sim.csv.CsvFormatException;
import dev.cotenant.sim.csv.CsvTable;
import dev.cotenant.sim.csv.CsvTable.Row;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * Reads and writes workload files: CSV with the header {@code
 * name,app,submit_time_s,solo_duration_s,replicas,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_memory_mib}
 * (any column order) and an optional {@code work} column (the work a job declares in its app's own
 * unit; empty for none), one job per row, {@code #} comment lines and blank lines allowed, like
 * cluster files. See the module README for the rules.
 *
 * <p>Every violation is a {@link CsvFormatException} pointing at the physical line and column.
 */
public final class WorkloadCsv {

  /** The columns, in the order {@link #write} puts them. */
  public static final List<String> COLUMNS =
      List.of(
          "name",
          "app",
          "submit_time_s",
          "solo_duration_s",
          "replicas",
          "cpu_milli",
          "memory_mib",
          "num_gpu",
          "gpu_milli",
          "gpu_memory_mib");

  /** The optional column of declared work. */
  public static final String WORK = "work";

  /**
   * The optional column {@code gpu_spec}: the GPU models a job accepts ({@code V100M16|V100M32}, as
   * in Alibaba's openb trace), which {@code cotenant eval fill} reads through {@link #read(Path,
   * BiFunction)}; the simulator ignores it.
   */
  public static final String GPU_SPEC = "gpu_spec";

  /** Columns a file may leave out; {@link Row#get} reads an absent one as {@code ""}. */
  public static final List<String> OPTIONAL_COLUMNS = List.of(WORK, GPU_SPEC);

  private static final CsvTable TABLE =
      new CsvTable(
          "workload",
          "job",
          concat(COLUMNS, OPTIONAL_COLUMNS),
          OPTIONAL_COLUMNS,
          CsvFormatException::new);

  // What write uses: work only when some job declares it, so other files look as they always did.
  private static final CsvTable WITH_WORK =
      new CsvTable("workload", "job", concat(COLUMNS, List.of(WORK)), CsvFormatException::new);
  private static final CsvTable WITHOUT_WORK =
      new CsvTable("workload", "job", COLUMNS, CsvFormatException::new);

  // Plain decimal notation only, as write produces: no sign, exponent, NaN or Infinity.
  private static final Pattern DECIMAL = Pattern.compile("[0-9]+(\\.[0-9]+)?");

  private WorkloadCsv() {}

  /**
   * Reads a workload file as UTF-8; errors name the file as {@code file.toString()}.
   *
   * @return the jobs in file order, at least one
   * @throws CsvFormatException if the content breaks the format
   * @throws UncheckedIOException if the file cannot be read
   */
  public static List<WorkloadJob> read(Path file) {
    return TABLE.read(file, WorkloadCsv::job);
  }

  /**
   * Reads a workload file, giving each job with its row, so a caller can read {@link
   * #OPTIONAL_COLUMNS} ({@code ""} where a file leaves one out).
   */
  public static <T> List<T> read(Path file, BiFunction<WorkloadJob, Row, T> withRow) {
    return TABLE.read(file, row -> withRow.apply(job(row), row));
  }

  /**
   * Reads a workload file to its end; the caller keeps ownership of {@code reader}.
   *
   * @param sourceName what error messages call the file
   * @return the jobs in file order, at least one
   * @throws CsvFormatException if the content breaks the format
   * @throws UncheckedIOException if the reader fails
   */
  public static List<WorkloadJob> read(Reader reader, String sourceName) {
    return TABLE.read(reader, sourceName, WorkloadCsv::job);
  }

  /**
   * Renders jobs as a workload file that {@link #read(Reader, String)} reads back to an equal list;
   * times are written in plain decimal notation without loss.
   *
   * @throws IllegalArgumentException if {@code jobs} is empty or repeats a name, since such a file
   *     would not read back
   */
  public static String write(List<WorkloadJob> jobs) {
    boolean withWork = jobs.stream().anyMatch(j -> j.work().isPresent());
    return (withWork ? WITH_WORK : WITHOUT_WORK)
        .write(jobs, WorkloadJob::name, job -> fields(job, withWork));
  }

  private static List<Object> fields(WorkloadJob job, boolean withWork) {
    List<Object> fields =
        new java.util.ArrayList<>(
            List.of(
                job.name(),
                job.app(),
                decimal(job.submitTimeSeconds()),
                decimal(job.soloDurationSeconds()),
                job.replicas(),
                job.cpuMilli(),
                job.memoryMiB(),
                job.numGpu(),
                job.gpuMilli(),
                job.gpuMemoryMiB()));
    if (withWork) {
      fields.add(job.work().isPresent() ? decimal(job.work().getAsDouble()) : "");
    }
    return fields;
  }

  private static List<String> concat(List<String> columns, List<String> extra) {
    List<String> all = new java.util.ArrayList<>(columns);
    all.addAll(extra);
    return List.copyOf(all);
  }

  /** The shortest decimal that reads back as {@code value}, without exponent or trailing zeros. */
  private static String decimal(double value) {
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }

  private static WorkloadJob job(Row row) {
    String name =
        row.text(
            "name",
            WorkloadJob::isValidName,
            "a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a"
                + " letter or digit, at most "
                + WorkloadJob.MAX_NAME_LENGTH
                + " characters)");
    row.requireUnique("name");
    String app =
        row.text(
            "app", WorkloadJob::isValidApp, "a profile key of letters, digits, '-', '_' and '.'");

    double submitTime = seconds(row, "submit_time_s", false);
    double soloDuration = seconds(row, "solo_duration_s", true);

    Replicas replicas;
    try {
      replicas = Replicas.parse(row.get("replicas"));
    } catch (IllegalArgumentException e) {
      throw row.error("replicas", e.getMessage());
    }

    long cpuMilli = row.integer("cpu_milli", 0, Long.MAX_VALUE, "an integer >= 0");
    long memoryMiB = row.integer("memory_mib", 0, Long.MAX_VALUE, "an integer >= 0");
    int numGpu =
        (int)
            row.integer(
                "num_gpu", 0, WorkloadJob.MAX_GPUS, "an integer from 0 to " + WorkloadJob.MAX_GPUS);

    int gpuMilli = 0;
    long gpuMemoryMiB = 0;
    if (numGpu > 0) {
      row.requireZeroOrEmpty("gpu_milli", "when num_gpu > 0 (whole GPUs)");
      row.requireZeroOrEmpty("gpu_memory_mib", "when num_gpu > 0 (whole GPUs)");
    } else {
      gpuMilli =
          (int)
              integerOrEmpty(
                  row,
                  "gpu_milli",
                  WorkloadJob.MILLI_PER_GPU,
                  "an integer from 0 to " + WorkloadJob.MILLI_PER_GPU);
      if (gpuMilli > 0) {
        gpuMemoryMiB = integerOrEmpty(row, "gpu_memory_mib", Long.MAX_VALUE, "an integer >= 0");
        if (gpuMemoryMiB == 0) {
          throw row.error(
              "gpu_memory_mib",
              "a GPU share needs gpu_memory_mib > 0 (gpu_milli is " + gpuMilli + ")");
        }
      } else {
        row.requireZeroOrEmpty("gpu_memory_mib", "without a GPU share (gpu_milli 0)");
      }
    }
    java.util.OptionalDouble work =
        row.get(WORK).isEmpty()
            ? java.util.OptionalDouble.empty()
            : java.util.OptionalDouble.of(positive(row, WORK, "of work in the app's own unit"));
    return new WorkloadJob(
        name,
        app,
        submitTime,
        soloDuration,
        replicas,
        cpuMilli,
        memoryMiB,
        numGpu,
        gpuMilli,
        gpuMemoryMiB,
        work);
  }

  /** An integer from 0 to {@code max}, where empty means 0. */
  private static long integerOrEmpty(Row row, String column, long max, String rule) {
    return row.get(column).isEmpty() ? 0 : row.integer(column, 0, max, rule + " or empty");
  }

  private static double seconds(Row row, String column, boolean positive) {
    return decimal(row, column, positive, "of seconds");
  }

  private static double positive(Row row, String column, String unit) {
    return decimal(row, column, true, unit);
  }

  private static double decimal(Row row, String column, boolean positive, String unit) {
    String text = row.get(column);
    if (DECIMAL.matcher(text).matches()) {
      double value = Double.parseDouble(text);
      if (Double.isFinite(value) && (!positive || value > 0)) {
        return value;
      }
    }
    throw row.error(
        column,
        column
            + " must be a decimal number "
            + (positive ? "> 0" : ">= 0")
            + " "
            + unit
            + " (digits with an optional fraction, like 12 or 0.5), got '"
            + text
            + "'");
  }
}
