package dev.cotenant.sim.csv;

/**
 * A CSV file (cluster, workload, ...) that breaks its format. The message starts with {@code
 * FILE:LINE:COLUMN: } like a compiler diagnostic, so editors and terminals can jump to the spot.
 */
public class CsvFormatException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String file;
  private final int line;
  private final int column;

  /**
   * @param file name of the source, as given by the caller
   * @param line 1-based physical line, counting comment, blank and header lines
   * @param column 1-based index of the offending field, or 1 for a problem with the whole line
   * @param problem what is wrong, naming the column
   */
  public CsvFormatException(String file, int line, int column, String problem) {
    this(file, line, column, problem, null);
  }

  /** As above, with the cause, e.g. the CSV parser's own exception. */
  public CsvFormatException(String file, int line, int column, String problem, Throwable cause) {
    super(file + ":" + line + ":" + column + ": " + problem, cause);
    this.file = file;
    this.line = line;
    this.column = column;
  }

  public String file() {
    return file;
  }

  public int line() {
    return line;
  }

  public int column() {
    return column;
  }
}
