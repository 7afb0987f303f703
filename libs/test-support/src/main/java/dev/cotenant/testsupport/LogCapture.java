package dev.cotenant.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * What the application logs while a test runs, from a handler on the root logger (the test and the
 * application share the JVM and JBoss LogManager): each ERROR record, and each record that carries
 * a stack trace, whatever its level.
 */
public final class LogCapture extends Handler implements AutoCloseable {
  private final List<LogRecord> records = new ArrayList<>();

  private LogCapture() {}

  public static LogCapture start() {
    LogCapture capture = new LogCapture();
    capture.setLevel(Level.ALL);
    Logger.getLogger("").addHandler(capture);
    return capture;
  }

  @Override
  public synchronized void publish(LogRecord record) {
    if (record.getThrown() != null || record.getLevel().intValue() >= Level.SEVERE.intValue()) {
      records.add(record);
    }
  }

  /** Every captured record, one line each with its exception. */
  public synchronized List<String> problems() {
    List<String> lines = new ArrayList<>();
    for (LogRecord r : records) {
      lines.add(
          r.getLevel()
              + " "
              + r.getLoggerName()
              + ": "
              + r.getMessage()
              + (r.getThrown() == null ? "" : " / " + r.getThrown()));
    }
    return lines;
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    Logger.getLogger("").removeHandler(this);
  }
}
