package dev.cotenant.eval;

import java.io.PrintWriter;

/** A one-line progress bar on stderr for runs longer than a second; silent for short ones. */
public final class Progress {

  private static final long SHOW_AFTER_NANOS = 1_000_000_000L;
  private static final int WIDTH = 30;

  private final PrintWriter err;
  private final String label;
  private final long started = System.nanoTime();
  private long lastDraw;
  private boolean shown;

  public Progress(PrintWriter err, String label) {
    this.err = err;
    this.label = label;
  }

  public void update(double fraction) {
    long now = System.nanoTime();
    if (now - started < SHOW_AFTER_NANOS || now - lastDraw < 200_000_000L) {
      return;
    }
    lastDraw = now;
    shown = true;
    int filled = (int) Math.round(Math.min(1, fraction) * WIDTH);
    err.printf(
        "\r%-20s [%s%s] %3.0f%%",
        label, "#".repeat(filled), " ".repeat(WIDTH - filled), 100 * fraction);
    err.flush();
  }

  public void done() {
    if (shown) {
      err.printf("\r%s\r", " ".repeat(WIDTH + 30));
      err.flush();
    }
  }
}
