package dev.cotenant.sim.cluster;

import dev.cotenant.sim.csv.CsvFormatException;

/**
 * A cluster file that breaks the format. The message starts with {@code FILE:LINE:COLUMN: } like a
 * compiler diagnostic, so editors and terminals can jump to the spot.
 *
 * <p>Every format error {@link ClusterCsv} throws is of this type; catch {@link CsvFormatException}
 * to handle cluster and workload files alike.
 */
public final class ClusterFormatException extends CsvFormatException {

  private static final long serialVersionUID = 1L;

  /**
   * @param file name of the source, as given by the caller
   * @param line 1-based physical line, counting comment, blank and header lines
   * @param column 1-based index of the offending field, or 1 for a problem with the whole line
   * @param problem what is wrong, naming the column
   */
  public ClusterFormatException(String file, int line, int column, String problem) {
    super(file, line, column, problem);
  }

  /** As above, for a problem the CSV parser itself detected. */
  ClusterFormatException(String file, int line, int column, String problem, Throwable cause) {
    super(file, line, column, problem, cause);
  }
}
