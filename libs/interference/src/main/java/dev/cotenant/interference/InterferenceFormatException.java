package dev.cotenant.interference;

/** A bad interference file, located as {@code FILE:LINE:COLUMN: message} (1-based). */
public final class InterferenceFormatException extends FileFormatException {

  private static final long serialVersionUID = 1L;

  public InterferenceFormatException(String file, int line, int column, String message) {
    super(file, line, column, message, null);
  }
}
