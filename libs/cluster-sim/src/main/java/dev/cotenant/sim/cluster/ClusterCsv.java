package dev.cotenant.sim.cluster;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.DuplicateHeaderMode;

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

  private static final String HEADER = String.join(",", COLUMNS);

  // Header and duplicate checks are done here rather than by Commons CSV, whose exceptions carry
  // no line or column.
  private static final CSVFormat READ_FORMAT =
      CSVFormat.DEFAULT
          .builder()
          .setHeader()
          .setSkipHeaderRecord(true)
          .setCommentMarker('#')
          .setIgnoreEmptyLines(true)
          .setTrim(true)
          .setAllowMissingColumnNames(true)
          .setDuplicateHeaderMode(DuplicateHeaderMode.ALLOW_ALL)
          .get();

  private static final CSVFormat WRITE_FORMAT =
      CSVFormat.DEFAULT
          .builder()
          .setHeader(COLUMNS.toArray(String[]::new))
          .setRecordSeparator('\n')
          .get();

  // Commons CSV only skips lines that are truly empty; blanking whitespace-only lines first makes
  // them "blank lines" too without changing any line number.
  private static final Pattern WHITESPACE_ONLY_LINE =
      Pattern.compile("^[ \\t]+(?=[\\r\\n]|\\z)", Pattern.MULTILINE);
  private static final Pattern DIGITS = Pattern.compile("[0-9]+");

  private ClusterCsv() {}

  /**
   * Reads a cluster file as UTF-8; errors name the file as {@code file.toString()}.
   *
   * @throws ClusterFormatException if the content breaks the format
   * @throws UncheckedIOException if the file cannot be read
   */
  public static List<NodeSpec> read(Path file) {
    try (Reader reader = Files.newBufferedReader(file, UTF_8)) {
      return read(reader, file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read cluster file " + file, e);
    }
  }

  /**
   * Reads a cluster file to its end; the caller keeps ownership of {@code reader}.
   *
   * @param sourceName what error messages call the file
   * @throws ClusterFormatException if the content breaks the format
   * @throws UncheckedIOException if the reader fails
   */
  public static List<NodeSpec> read(Reader reader, String sourceName) {
    Objects.requireNonNull(reader, "reader");
    Objects.requireNonNull(sourceName, "sourceName");
    StringWriter content = new StringWriter();
    try {
      reader.transferTo(content);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read cluster file " + sourceName, e);
    }
    return new Reading(sourceName, content.toString()).nodes();
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
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException("a cluster needs at least one node");
    }
    Set<String> names = new HashSet<>();
    for (NodeSpec node : nodes) {
      if (!names.add(node.name())) {
        throw new IllegalArgumentException("duplicate node name '" + node.name() + "'");
      }
    }
    StringBuilder out = new StringBuilder();
    try (CSVPrinter printer = new CSVPrinter(out, WRITE_FORMAT)) {
      for (NodeSpec node : nodes) {
        printer.printRecord(
            node.name(),
            node.cpuMilli(),
            node.memoryMiB(),
            node.numGpu(),
            node.gpuModel(),
            node.gpuMemoryMiB());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("a StringBuilder does not throw", e);
    }
    return out.toString();
  }

  /** One pass over one file's text. */
  private static final class Reading {
    private final String source;
    private final String text;
    // lineStarts[i] is the offset of the first character of physical line i + 1.
    private final int[] lineStarts;
    private Map<String, Integer> columnIndex = Map.of();

    Reading(String source, String rawText) {
      this.source = source;
      String text = rawText.startsWith("\uFEFF") ? rawText.substring(1) : rawText;
      this.text = WHITESPACE_ONLY_LINE.matcher(text).replaceAll("");
      this.lineStarts = lineStarts(this.text);
    }

    List<NodeSpec> nodes() {
      try (CSVParser parser =
          CSVParser.builder().setReader(new StringReader(text)).setFormat(READ_FORMAT).get()) {
        checkHeader(parser.getHeaderNames());
        List<NodeSpec> nodes = new ArrayList<>();
        Map<String, Integer> lineByName = new HashMap<>();
        // Line on which the last good record (or the header) ended; Commons CSV reports it exactly
        // here because the record's line break has just been consumed.
        int endOfPrevious = (int) parser.getCurrentLineNumber();
        try {
          for (CSVRecord record : parser) {
            nodes.add(node(record, lineByName));
            endOfPrevious = (int) parser.getCurrentLineNumber();
          }
        } catch (UncheckedIOException e) {
          throw malformed(endOfPrevious, e.getCause());
        }
        if (nodes.isEmpty()) {
          throw error(1, 1, "no nodes: expected at least one row after the header");
        }
        return List.copyOf(nodes);
      } catch (CSVException e) {
        // Only the header can get here: record errors arrive wrapped, above.
        throw malformed(0, e);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot parse " + source, e);
      }
    }

    private void checkHeader(List<String> names) {
      if (names.isEmpty()) {
        throw error(1, 1, "empty file: expected the header " + HEADER + " and at least one node");
      }
      int line = contentLineAt(0);
      Map<String, Integer> index = new HashMap<>();
      List<String> unknown = new ArrayList<>();
      int firstUnknown = 0;
      for (int i = 0; i < names.size(); i++) {
        String name = names.get(i);
        if (name.isEmpty()) {
          throw error(line, i + 1, "header column " + (i + 1) + " has no name");
        }
        if (index.putIfAbsent(name, i) != null) {
          throw error(line, i + 1, "column " + name + " appears twice in the header");
        }
        if (!COLUMNS.contains(name)) {
          if (unknown.isEmpty()) {
            firstUnknown = i;
          }
          unknown.add("'" + name + "'");
        }
      }
      if (!unknown.isEmpty()) {
        throw error(
            line,
            firstUnknown + 1,
            "unknown column(s) " + String.join(", ", unknown) + "; the columns are " + HEADER);
      }
      List<String> missing = COLUMNS.stream().filter(c -> !index.containsKey(c)).toList();
      if (!missing.isEmpty()) {
        throw error(
            line,
            1,
            "missing column(s) "
                + String.join(", ", missing)
                + "; the header must name all of "
                + HEADER);
      }
      columnIndex = Map.copyOf(index);
    }

    private NodeSpec node(CSVRecord record, Map<String, Integer> lineByName) {
      int line = contentLineAt(record.getCharacterPosition());
      if (record.size() != columnIndex.size()) {
        throw error(
            line,
            1,
            "expected "
                + columnIndex.size()
                + " fields as in the header ("
                + headerInFileOrder()
                + ") but got "
                + record.size());
      }

      String name = value(record, "name");
      if (name.isEmpty()) {
        throw error(line, column("name"), "name must not be empty");
      }
      if (!NodeSpec.isValidName(name)) {
        throw error(
            line,
            column("name"),
            "name must be a DNS-1123 subdomain (lowercase letters, digits, '-' and '.', starting"
                + " and ending with a letter or digit, at most "
                + NodeSpec.MAX_NAME_LENGTH
                + " characters), got '"
                + name
                + "'");
      }
      Integer firstLine = lineByName.putIfAbsent(name, line);
      if (firstLine != null) {
        throw error(
            line, column("name"), "name '" + name + "' is already used on line " + firstLine);
      }

      long cpuMilli = positive(record, "cpu_milli", line, "");
      long memoryMiB = positive(record, "memory_mib", line, "");

      String numGpuText = value(record, "num_gpu");
      if (!DIGITS.matcher(numGpuText).matches()
          || numGpuText.length() > 2
          || Integer.parseInt(numGpuText) > NodeSpec.MAX_GPUS) {
        throw error(
            line,
            column("num_gpu"),
            "num_gpu must be an integer from 0 to "
                + NodeSpec.MAX_GPUS
                + ", got '"
                + numGpuText
                + "'");
      }
      int numGpu = Integer.parseInt(numGpuText);

      String gpuModel = value(record, "gpu_model");
      long gpuMemoryMiB;
      if (numGpu > 0) {
        if (gpuModel.isEmpty()) {
          throw error(line, column("gpu_model"), "gpu_model must not be empty when num_gpu > 0");
        }
        if (!NodeSpec.isValidGpuModel(gpuModel)) {
          throw error(
              line,
              column("gpu_model"),
              "gpu_model must contain only letters, digits, '-', '_' and '.', got '"
                  + gpuModel
                  + "'");
        }
        gpuMemoryMiB = positive(record, "gpu_memory_mib", line, " when num_gpu > 0");
      } else {
        // NodeSpec keeps "" as the model of a GPU-less node, so a stray model would be lost.
        if (!gpuModel.isEmpty()) {
          throw error(
              line,
              column("gpu_model"),
              "gpu_model must be empty when num_gpu is 0, got '" + gpuModel + "'");
        }
        String gpuMemoryText = value(record, "gpu_memory_mib");
        if (!gpuMemoryText.isEmpty() && !gpuMemoryText.matches("0+")) {
          throw error(
              line,
              column("gpu_memory_mib"),
              "gpu_memory_mib must be 0 or empty when num_gpu is 0, got '" + gpuMemoryText + "'");
        }
        gpuMemoryMiB = 0;
      }
      return new NodeSpec(name, cpuMilli, memoryMiB, numGpu, gpuModel, gpuMemoryMiB);
    }

    private long positive(CSVRecord record, String column, int line, String condition) {
      String text = value(record, column);
      long value = 0;
      if (DIGITS.matcher(text).matches()) {
        try {
          value = Long.parseLong(text);
        } catch (NumberFormatException tooLarge) {
          // Beyond Long.MAX_VALUE: reported below like any other unusable value.
          value = 0;
        }
      }
      if (value <= 0) {
        throw error(
            line,
            column(column),
            column + " must be a positive integer" + condition + ", got '" + text + "'");
      }
      return value;
    }

    private String value(CSVRecord record, String column) {
      return record.get(columnIndex.get(column));
    }

    private int column(String column) {
      return columnIndex.get(column) + 1;
    }

    private String headerInFileOrder() {
      return columnIndex.entrySet().stream()
          .sorted(Map.Entry.comparingByValue())
          .map(Map.Entry::getKey)
          .collect(Collectors.joining(","));
    }

    /**
     * Commons CSV positions a record where the parser started looking for it, which is before any
     * comment and blank lines in front of it; skip those to reach the record's own line.
     */
    private int contentLineAt(long position) {
      int line = lineAt((int) position);
      while (line < lineStarts.length && isBlankOrComment(line)) {
        line++;
      }
      return line;
    }

    private int lineAt(int position) {
      int low = 0;
      int high = lineStarts.length - 1;
      while (low < high) {
        int mid = (low + high + 1) >>> 1;
        if (lineStarts[mid] <= position) {
          low = mid;
        } else {
          high = mid - 1;
        }
      }
      return low + 1;
    }

    private boolean isBlankOrComment(int line) {
      int start = lineStarts[line - 1];
      if (start >= text.length()) {
        return true;
      }
      char first = text.charAt(start);
      return first == '\n' || first == '\r' || first == '#';
    }

    /**
     * Points at the line where the broken record starts (where an unbalanced quote opens, say), not
     * where the parser gave up, which can be the end of the file.
     */
    private ClusterFormatException malformed(int endOfPrevious, IOException cause) {
      int start = lineStarts[Math.min(endOfPrevious, lineStarts.length - 1)];
      return error(contentLineAt(start), 1, "malformed CSV: " + cause.getMessage(), cause);
    }

    private ClusterFormatException error(int line, int column, String problem) {
      return new ClusterFormatException(source, line, column, problem);
    }

    private ClusterFormatException error(int line, int column, String problem, Throwable cause) {
      return new ClusterFormatException(source, line, column, problem, cause);
    }

    private static int[] lineStarts(String text) {
      List<Integer> starts = new ArrayList<>();
      starts.add(0);
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
        if (c == '\r' || c == '\n') {
          starts.add(i + 1);
        }
      }
      return starts.stream().mapToInt(Integer::intValue).toArray();
    }
  }
}
