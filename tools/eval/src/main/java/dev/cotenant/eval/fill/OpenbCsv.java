package dev.cotenant.eval.fill;

import dev.cotenant.fragmentation.NodeCapacity;
import dev.cotenant.fragmentation.PodRequest;
import dev.cotenant.sim.csv.CsvFormatException;
import dev.cotenant.sim.csv.CsvTable;
import dev.cotenant.sim.csv.CsvTable.Row;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the files of Alibaba's openb trace exactly as published (clusterdata, {@code
 * cluster-trace-gpu-v2023/csv/}): the node list {@code sn,cpu_milli,memory_mib,gpu,model} and the
 * pod lists {@code name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,...}, whose
 * sibling files (gpuspec, multigpu, cpu variants) share the format. The fill run uses a pod's
 * resources and {@code gpu_spec}; its phase and times do not matter to it.
 */
public final class OpenbCsv {

  public static final List<String> NODE_COLUMNS =
      List.of("sn", "cpu_milli", "memory_mib", "gpu", "model");

  public static final List<String> POD_COLUMNS =
      List.of(
          "name",
          "cpu_milli",
          "memory_mib",
          "num_gpu",
          "gpu_milli",
          "gpu_spec",
          "qos",
          "pod_phase",
          "creation_time",
          "deletion_time",
          "scheduled_time");

  private static final CsvTable NODES =
      new CsvTable("openb node", "node", NODE_COLUMNS, CsvFormatException::new);
  private static final CsvTable PODS =
      new CsvTable("openb pod", "pod", POD_COLUMNS, CsvFormatException::new);

  /** The published file names, as the trace ships them. */
  public static final String NODE_FILE = "openb_node_list_gpu_node.csv";

  public static final String POD_FILE = "openb_pod_list_default.csv";

  private OpenbCsv() {}

  /**
   * @throws CsvFormatException pointing at the line and column of a bad value
   * @throws java.io.UncheckedIOException if the file cannot be read
   */
  public static List<NodeCapacity> readNodes(Path file) {
    return NODES.read(file, OpenbCsv::node);
  }

  /**
   * @throws CsvFormatException pointing at the line and column of a bad value
   * @throws java.io.UncheckedIOException if the file cannot be read
   */
  public static List<PodRequest> readPods(Path file) {
    return PODS.read(file, OpenbCsv::pod);
  }

  /** The trace shipped with tools/eval (scenario {@code openb}). */
  public static List<NodeCapacity> bundledNodes() {
    return bundled(NODE_FILE, (r, n) -> NODES.read(r, n, OpenbCsv::node));
  }

  /** The trace shipped with tools/eval (scenario {@code openb}). */
  public static List<PodRequest> bundledPods() {
    return bundled(POD_FILE, (r, n) -> PODS.read(r, n, OpenbCsv::pod));
  }

  private static <T> List<T> bundled(
      String file, java.util.function.BiFunction<java.io.Reader, String, List<T>> read) {
    String resource = "/dev/cotenant/eval/scenarios/openb/" + file;
    try (var in = OpenbCsv.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new java.io.UncheckedIOException(
            new java.io.FileNotFoundException("not on the classpath: " + resource));
      }
      return read.apply(
          new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8),
          "openb/" + file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static NodeCapacity node(Row row) {
    String name = row.text("sn", s -> true, "the node's name");
    row.requireUnique("sn");
    long cpu = atLeastZero(row, "cpu_milli");
    long memory = atLeastZero(row, "memory_mib");
    int gpus = gpuCount(row, "gpu");
    String model = row.get("model");
    if (gpus > 0 && model.isEmpty()) {
      throw row.error("model", "model must name the GPU type when gpu > 0");
    }
    return new NodeCapacity(name, cpu, memory, gpus, model);
  }

  private static PodRequest pod(Row row) {
    String name = row.text("name", s -> true, "the pod's name");
    row.requireUnique("name");
    long cpu = atLeastZero(row, "cpu_milli");
    long memory = atLeastZero(row, "memory_mib");
    int gpus = gpuCount(row, "num_gpu");
    int milli;
    if (gpus == 0) {
      row.requireZeroOrEmpty("gpu_milli", "when num_gpu is 0");
      milli = 0;
    } else if (gpus == 1) {
      milli =
          (int) row.integer("gpu_milli", 1, 1000, "an integer from 1 to 1000 when num_gpu is 1");
    } else {
      milli = (int) row.integer("gpu_milli", 1000, 1000, "1000 (whole cards) when num_gpu > 1");
    }
    List<String> types = PodRequest.parseGpuSpec(row.get("gpu_spec"));
    return new PodRequest(name, cpu, memory, gpus, milli, types);
  }

  private static long atLeastZero(Row row, String column) {
    return row.integer(column, 0, Long.MAX_VALUE, "an integer >= 0");
  }

  private static int gpuCount(Row row, String column) {
    return (int)
        row.integer(column, 0, PodRequest.MAX_GPUS, "an integer from 0 to " + PodRequest.MAX_GPUS);
  }
}
