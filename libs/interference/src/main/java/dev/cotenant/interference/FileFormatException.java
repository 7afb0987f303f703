package dev.cotenant.interference;

/**
 * A data file that breaks its format, located like a compiler diagnostic: the message starts with
 * {@code FILE:LINE:COLUMN: } (1-based), so editors and terminals can jump to the spot. The common
 * base of the interference file's and the CSV formats' errors (libs/cluster-sim depends on this
 * library, so the base lives here).
 */
public class FileFormatException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String file;
  private final int line;
  private final int column;

  /**
   * @param file name of the source, as given by the caller
   * @param line 1-based physical line
   * @param column 1-based column (or field), 1 for a problem with the whole line
   * @param problem what is wrong
   * @param cause the parser's own exception, if any
   */
  public FileFormatException(String file, int line, int column, String problem, Throwable cause) {
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
