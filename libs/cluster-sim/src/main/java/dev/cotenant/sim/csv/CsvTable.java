package dev.cotenant.sim.csv;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
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
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.DuplicateHeaderMode;

/**
 * A CSV file format with a required header naming a fixed set of columns (in any order) and one
 * item per row; {@code #} comment lines and blank or whitespace-only lines are skipped, a leading
 * BOM is ignored, fields are trimmed and standard CSV quoting is accepted.
 *
 * <p>This class does everything but the meaning of a row: it checks the header (unknown, repeated,
 * nameless and missing columns), the number of fields of every row and the CSV syntax, works out
 * the physical line of every row, and turns every problem into a {@link CsvFormatException}
 * pointing at {@code FILE:LINE:COLUMN}. A {@link RowParser} turns each {@link Row} into an item,
 * reporting its own problems through {@link Row#error}.
 *
 * <p>Instances are immutable and can be shared; each {@code read} keeps its state to itself.
 */
public final class CsvTable {

  /** Builds the exception a format throws, so callers can keep catching their own subtype. */
  @FunctionalInterface
  public interface ErrorFactory {
    CsvFormatException create(String file, int line, int column, String problem, Throwable cause);
  }

  /** Turns one row into one item, throwing {@link Row#error} for a bad value. */
  @FunctionalInterface
  public interface RowParser<T> {
    T parse(Row row);
  }

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

  // Commons CSV only skips lines that are truly empty; blanking whitespace-only lines first makes
  // them "blank lines" too without changing any line number.
  private static final Pattern WHITESPACE_ONLY_LINE =
      Pattern.compile("^[ \\t]+(?=[\\r\\n]|\\z)", Pattern.MULTILINE);
  private static final Pattern DIGITS = Pattern.compile("[0-9]+");
  private static final Pattern ZEROS = Pattern.compile("0+");

  private final String kind;
  private final String itemNoun;
  private final List<String> columns;
  private final List<String> optionalColumns;
  private final String header;
  private final ErrorFactory errors;
  private final CSVFormat writeFormat;

  /**
   * @param kind what the file is, for messages: {@code "cluster"} gives "cannot read cluster file"
   * @param itemNoun what one row is, singular, for messages: {@code "node"} gives "no nodes"
   * @param columns every column, each required, in the order {@link #write} puts them
   * @param errors builds the exception for each problem
   */
  public CsvTable(String kind, String itemNoun, List<String> columns, ErrorFactory errors) {
    this(kind, itemNoun, columns, List.of(), errors);
  }

  /**
   * As above, with {@code optionalColumns} that a file may leave out (each one of {@code columns});
   * {@link Row#has} tells whether the file has one, and {@link Row#get} reads an absent one as
   * empty.
   */
  public CsvTable(
      String kind,
      String itemNoun,
      List<String> columns,
      List<String> optionalColumns,
      ErrorFactory errors) {
    this.kind = Objects.requireNonNull(kind, "kind");
    this.itemNoun = Objects.requireNonNull(itemNoun, "itemNoun");
    this.columns = List.copyOf(columns);
    this.optionalColumns = List.copyOf(optionalColumns);
    if (this.columns.isEmpty() || new HashSet<>(this.columns).size() != this.columns.size()) {
      throw new IllegalArgumentException("columns must be distinct and non-empty: " + columns);
    }
    if (!this.columns.containsAll(this.optionalColumns)) {
      throw new IllegalArgumentException(
          "optional columns " + optionalColumns + " must be among " + columns);
    }
    this.header = String.join(",", this.columns);
    this.errors = Objects.requireNonNull(errors, "errors");
    this.writeFormat =
        CSVFormat.DEFAULT
            .builder()
            .setHeader(this.columns.toArray(String[]::new))
            .setRecordSeparator('\n')
            .get();
  }

  /** The columns, in the order {@link #write} puts them. */
  public List<String> columns() {
    return columns;
  }

  /** The header line {@link #write} puts first, without a line break. */
  public String header() {
    return header;
  }

  /**
   * Reads a file as UTF-8; errors name the file as {@code file.toString()}.
   *
   * @throws CsvFormatException if the content breaks the format
   * @throws UncheckedIOException if the file cannot be read
   */
  public <T> List<T> read(Path file, RowParser<? extends T> parser) {
    try (Reader reader = Files.newBufferedReader(file, UTF_8)) {
      return read(reader, file.toString(), parser);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + kind + " file " + file, e);
    }
  }

  /**
   * Reads {@code reader} to its end and parses every row, in file order; the caller keeps ownership
   * of {@code reader}.
   *
   * @param sourceName what error messages call the file
   * @return the items, at least one, unmodifiable
   * @throws CsvFormatException if the content breaks the format
   * @throws UncheckedIOException if the reader fails
   */
  public <T> List<T> read(Reader reader, String sourceName, RowParser<? extends T> parser) {
    Objects.requireNonNull(reader, "reader");
    Objects.requireNonNull(sourceName, "sourceName");
    Objects.requireNonNull(parser, "parser");
    StringWriter content = new StringWriter();
    try {
      reader.transferTo(content);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + kind + " file " + sourceName, e);
    }
    return new Pass(sourceName, content.toString()).items(parser);
  }

  /**
   * Renders items as a file that {@link #read(Reader, String, RowParser)} reads back.
   *
   * @param name each item's name, which must be unique
   * @param fields each item's fields, in the order of {@link #columns()}
   * @throws IllegalArgumentException if {@code items} is empty or repeats a name, since such a file
   *     would not read back
   */
  public <T> String write(
      List<T> items, Function<? super T, String> name, Function<? super T, List<?>> fields) {
    if (items.isEmpty()) {
      throw new IllegalArgumentException("a " + kind + " needs at least one " + itemNoun);
    }
    Set<String> names = new HashSet<>();
    for (T item : items) {
      if (!names.add(name.apply(item))) {
        throw new IllegalArgumentException(
            "duplicate " + itemNoun + " name '" + name.apply(item) + "'");
      }
    }
    StringBuilder out = new StringBuilder();
    try (CSVPrinter printer = new CSVPrinter(out, writeFormat)) {
      for (T item : items) {
        List<?> values = fields.apply(item);
        if (values.size() != columns.size()) {
          throw new IllegalArgumentException(
              "expected " + columns.size() + " fields but got " + values.size() + ": " + values);
        }
        printer.printRecord(values);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("a StringBuilder does not throw", e);
    }
    return out.toString();
  }

  /** One data row of a file being read, with the physical line it starts on. */
  public static final class Row {
    private final Pass pass;
    private final CSVRecord record;
    private final int line;

    private Row(Pass pass, CSVRecord record, int line) {
      this.pass = pass;
      this.record = record;
      this.line = line;
    }

    /** The 1-based physical line the row starts on. */
    public int line() {
      return line;
    }

    /** The trimmed value of {@code column}, one of the table's columns; empty when absent. */
    public String get(String column) {
      return has(column) ? record.get(pass.index(column)) : "";
    }

    /** Whether this file has {@code column} (an optional column may be left out). */
    public boolean has(String column) {
      return pass.columnIndex.containsKey(column);
    }

    /** The 1-based position of {@code column} in this file's own column order. */
    public int column(String column) {
      return pass.index(column) + 1;
    }

    /** An error at this row's line and the position of {@code column}; the caller throws it. */
    public CsvFormatException error(String column, String problem) {
      return pass.error(line, column(column), problem, null);
    }

    /**
     * The value of {@code column}, which must be non-empty and pass {@code valid}.
     *
     * @param rule what a good value is, for the messages "{@code COLUMN must not be empty: it must
     *     be RULE}" and "{@code COLUMN must be RULE, got 'VALUE'}"
     */
    public String text(String column, Predicate<String> valid, String rule) {
      String text = get(column);
      if (text.isEmpty()) {
        throw error(column, column + " must not be empty: it must be " + rule);
      }
      if (!valid.test(text)) {
        throw error(column, column + " must be " + rule + ", got '" + text + "'");
      }
      return text;
    }

    /**
     * The value of {@code column} as an integer from {@code min} to {@code max} (both ≥ 0), written
     * as plain digits.
     *
     * @param rule what a good value is, for the message "{@code COLUMN must be RULE, got 'VALUE'}"
     */
    public long integer(String column, long min, long max, String rule) {
      String text = get(column);
      if (DIGITS.matcher(text).matches()) {
        try {
          long value = Long.parseLong(text);
          if (value >= min && value <= max) {
            return value;
          }
        } catch (NumberFormatException tooLarge) {
          // Beyond Long.MAX_VALUE: reported below like any other unusable value.
        }
      }
      throw error(column, column + " must be " + rule + ", got '" + text + "'");
    }

    /**
     * Checks that {@code column} is {@code 0} or empty, as a value that does not apply must be.
     *
     * @param condition when it does not apply, e.g. {@code "when num_gpu is 0"}
     */
    public void requireZeroOrEmpty(String column, String condition) {
      String text = get(column);
      if (!text.isEmpty() && !ZEROS.matcher(text).matches()) {
        throw error(column, column + " must be 0 or empty " + condition + ", got '" + text + "'");
      }
    }

    /**
     * Checks that no earlier row of the file has the same value in {@code column}; a repeat is
     * reported here, at its second occurrence, naming the line of the first.
     *
     * @return the value
     */
    public String requireUnique(String column) {
      String value = get(column);
      Integer firstLine =
          pass.lineByValue.computeIfAbsent(column, c -> new HashMap<>()).putIfAbsent(value, line);
      if (firstLine != null) {
        throw error(column, column + " '" + value + "' is already used on line " + firstLine);
      }
      return value;
    }
  }

  /** One pass over one file's text. */
  private final class Pass {
    private final String source;
    private final String text;
    // lineStarts[i] is the offset of the first character of physical line i + 1.
    private final int[] lineStarts;
    private final Map<String, Map<String, Integer>> lineByValue = new HashMap<>();
    private Map<String, Integer> columnIndex = Map.of();

    Pass(String source, String rawText) {
      this.source = source;
      String text = rawText.startsWith("\uFEFF") ? rawText.substring(1) : rawText;
      this.text = WHITESPACE_ONLY_LINE.matcher(text).replaceAll("");
      this.lineStarts = lineStarts(this.text);
    }

    <T> List<T> items(RowParser<? extends T> parser) {
      try (CSVParser csv =
          CSVParser.builder().setReader(new StringReader(text)).setFormat(READ_FORMAT).get()) {
        checkHeader(csv.getHeaderNames());
        List<T> items = new ArrayList<>();
        // Line on which the last good record (or the header) ended; Commons CSV reports it exactly
        // here because the record's line break has just been consumed.
        int endOfPrevious = (int) csv.getCurrentLineNumber();
        try {
          for (CSVRecord record : csv) {
            items.add(parser.parse(row(record)));
            endOfPrevious = (int) csv.getCurrentLineNumber();
          }
        } catch (UncheckedIOException e) {
          throw malformed(endOfPrevious, e.getCause());
        }
        if (items.isEmpty()) {
          throw error(
              1, 1, "no " + itemNoun + "s: expected at least one row after the header", null);
        }
        return List.copyOf(items);
      } catch (CSVException e) {
        // Only the header can get here: record errors arrive wrapped, above.
        throw malformed(0, e);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot parse " + source, e);
      }
    }

    private void checkHeader(List<String> names) {
      if (names.isEmpty()) {
        throw error(
            1,
            1,
            "empty file: expected the header " + header + " and at least one " + itemNoun,
            null);
      }
      int line = contentLineAt(0);
      Map<String, Integer> index = new HashMap<>();
      List<String> unknown = new ArrayList<>();
      int firstUnknown = 0;
      for (int i = 0; i < names.size(); i++) {
        String name = names.get(i);
        if (name.isEmpty()) {
          throw error(line, i + 1, "header column " + (i + 1) + " has no name", null);
        }
        if (index.putIfAbsent(name, i) != null) {
          throw error(line, i + 1, "column " + name + " appears twice in the header", null);
        }
        if (!columns.contains(name)) {
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
            "unknown column(s) " + String.join(", ", unknown) + "; the columns are " + header,
            null);
      }
      List<String> missing =
          columns.stream()
              .filter(c -> !index.containsKey(c) && !optionalColumns.contains(c))
              .toList();
      if (!missing.isEmpty()) {
        throw error(
            line,
            1,
            "missing column(s) "
                + String.join(", ", missing)
                + "; the header must name all of "
                + header,
            null);
      }
      columnIndex = Map.copyOf(index);
    }

    private Row row(CSVRecord record) {
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
                + record.size(),
            null);
      }
      return new Row(this, record, line);
    }

    int index(String column) {
      Integer index = columnIndex.get(column);
      if (index == null) {
        throw new IllegalArgumentException("not a column of this table: " + column);
      }
      return index;
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
    private CsvFormatException malformed(int endOfPrevious, IOException cause) {
      int start = lineStarts[Math.min(endOfPrevious, lineStarts.length - 1)];
      return error(contentLineAt(start), 1, "malformed CSV: " + cause.getMessage(), cause);
    }

    CsvFormatException error(int line, int column, String problem, Throwable cause) {
      return errors.create(source, line, column, problem, cause);
    }
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
