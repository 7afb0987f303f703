package dev.cotenant.sim.cluster;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.cotenant.sim.csv.CsvTable;
import dev.cotenant.sim.csv.CsvTable.Row;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads and writes cluster files: CSV with the header {@code
 * name,cpu_milli,memory_mib,num_gpu,gpu_model,gpu_memory_mib} (any column order), one node per row,
 * {@code #} comment lines and blank lines allowed. See the module README for the rules.
 *
 * <p>Every violation is a {@link ClusterFormatException} pointing at the physical line and column,
 * so a hand-edited file can be fixed without guessing.
 */
public final class ClusterCsv {

  /** Classpath location of the cluster the simulator uses when none is given. */
  public static final String DEFAULT_CLUSTER_RESOURCE =
      "/dev/cotenant/sim/cluster/default-cluster.csv";

  /** The columns, in the order {@link #write} puts them. */
  public static final List<String> COLUMNS =
      List.of("name", "cpu_milli", "memory_mib", "num_gpu", "gpu_model", "gpu_memory_mib");

  private static final CsvTable TABLE =
      new CsvTable("cluster", "node", COLUMNS, ClusterFormatException::new);

  private ClusterCsv() {}

  /**
   * Reads a cluster file as UTF-8; errors name the file as {@code file.toString()}.
   *
   * @throws ClusterFormatException if the content breaks the format
   * @throws UncheckedIOException if the file cannot be read
   */
  public static List<NodeSpec> read(Path file) {
    return TABLE.read(file, ClusterCsv::node);
  }

  /**
   * Reads a cluster file to its end; the caller keeps ownership of {@code reader}.
   *
   * @param sourceName what error messages call the file
   * @throws ClusterFormatException if the content breaks the format
   * @throws UncheckedIOException if the reader fails
   */
  public static List<NodeSpec> read(Reader reader, String sourceName) {
    return TABLE.read(reader, sourceName, ClusterCsv::node);
  }

  /** The bundled default cluster, {@value #DEFAULT_CLUSTER_RESOURCE}. */
  public static List<NodeSpec> defaultCluster() {
    try (InputStream in = ClusterCsv.class.getResourceAsStream(DEFAULT_CLUSTER_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing classpath resource " + DEFAULT_CLUSTER_RESOURCE);
      }
      return read(new InputStreamReader(in, UTF_8), "default-cluster.csv");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + DEFAULT_CLUSTER_RESOURCE, e);
    }
  }

  /**
   * Renders nodes as a cluster file that {@link #read(Reader, String)} reads back to an equal list.
   *
   * @throws IllegalArgumentException if {@code nodes} is empty or repeats a name, since such a file
   *     would not read back
   */
  public static String write(List<NodeSpec> nodes) {
    return TABLE.write(
        nodes,
        NodeSpec::name,
        node ->
            List.of(
                node.name(),
                node.cpuMilli(),
                node.memoryMiB(),
                node.numGpu(),
                node.gpuModel(),
                node.gpuMemoryMiB()));
  }

  private static NodeSpec node(Row row) {
    String name =
        row.text(
            "name",
            NodeSpec::isValidName,
            "a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', starting and ending"
                + " with a letter or digit, at most "
                + NodeSpec.MAX_NAME_LENGTH
                + " characters)");
    row.requireUnique("name");

    long cpuMilli = row.integer("cpu_milli", 1, Long.MAX_VALUE, "a positive integer");
    long memoryMiB = row.integer("memory_mib", 1, Long.MAX_VALUE, "a positive integer");
    int numGpu =
        (int)
            row.integer(
                "num_gpu", 0, NodeSpec.MAX_GPUS, "an integer from 0 to " + NodeSpec.MAX_GPUS);

    String gpuModel = row.get("gpu_model");
    long gpuMemoryMiB;
    if (numGpu > 0) {
      row.text(
          "gpu_model",
          NodeSpec::isValidGpuModel,
          "a model name of letters, digits, '-', '_' and '.' when num_gpu > 0");
      gpuMemoryMiB =
          row.integer("gpu_memory_mib", 1, Long.MAX_VALUE, "a positive integer when num_gpu > 0");
    } else {
      // NodeSpec keeps "" as the model of a GPU-less node, so a stray model would be lost.
      if (!gpuModel.isEmpty()) {
        throw row.error(
            "gpu_model", "gpu_model must be empty when num_gpu is 0, got '" + gpuModel + "'");
      }
      row.requireZeroOrEmpty("gpu_memory_mib", "when num_gpu is 0");
      gpuMemoryMiB = 0;
    }
    return new NodeSpec(name, cpuMilli, memoryMiB, numGpu, gpuModel, gpuMemoryMiB);
  }
}
