package dev.cotenant.interference;

/** A bad interference file, located as {@code FILE:LINE:COLUMN: message} (1-based). */
public final class InterferenceFormatException extends RuntimeException {

  private final String file;
  private final int line;
  private final int column;

  public InterferenceFormatException(String file, int line, int column, String message) {
    super(file + ":" + line + ":" + column + ": " + message);
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
