package dev.cotenant.sim.csv;

import dev.cotenant.interference.FileFormatException;

/**
 * A CSV file (cluster, workload, ...) that breaks its format, located as {@code FILE:LINE:COLUMN:
 * problem}: the line is the 1-based physical line, counting comment, blank and header lines; the
 * column the 1-based index of the offending field, or 1 for a problem with the whole line.
 */
public class CsvFormatException extends FileFormatException {

  private static final long serialVersionUID = 1L;

  public CsvFormatException(String file, int line, int column, String problem) {
    this(file, line, column, problem, null);
  }

  /** As above, with the cause, e.g. the CSV parser's own exception. */
  public CsvFormatException(String file, int line, int column, String problem, Throwable cause) {
    super(file, line, column, problem, cause);
  }
}
