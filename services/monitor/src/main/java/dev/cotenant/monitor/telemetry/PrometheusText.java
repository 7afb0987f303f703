package dev.cotenant.monitor.telemetry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Predicate;

/**
 * A parser of the Prometheus text exposition format (version 0.0.4), the one dcgm-exporter serves.
 * The Java client's exposition modules only write this format, so this small reader is ours.
 * Comments ({@code # HELP}, {@code # TYPE}) and blank lines are skipped; a line that does not parse
 * is counted and skipped, never thrown on, because one odd series must not lose a node's scrape.
 */
public final class PrometheusText {
  private PrometheusText() {}

  /**
   * One series' value.
   *
   * @param timestampMillis the exposition's own timestamp, when the line has one
   */
  public record Sample(
      String name, Map<String, String> labels, double value, OptionalLong timestampMillis) {}

  /** The samples of one exposition, and how many lines were not understood. */
  public record Parsed(List<Sample> samples, int malformed) {}

  public static Parsed parse(CharSequence text) {
    return parse(text, name -> true);
  }

  /**
   * @param wanted metric names to keep; the others are skipped before their labels are read
   */
  public static Parsed parse(CharSequence text, Predicate<String> wanted) {
    List<Sample> samples = new ArrayList<>();
    int malformed = 0;
    int n = text.length();
    int pos = 0;
    while (pos < n) {
      int eol = pos;
      while (eol < n && text.charAt(eol) != '\n') {
        eol++;
      }
      int end = eol > pos && text.charAt(eol - 1) == '\r' ? eol - 1 : eol;
      int status = line(text, pos, end, wanted, samples);
      if (status < 0) {
        malformed++;
      }
      pos = eol + 1;
    }
    return new Parsed(samples, malformed);
  }

  /** 1 kept, 0 skipped (comment, blank, unwanted), -1 malformed. */
  private static int line(
      CharSequence s, int from, int to, Predicate<String> wanted, List<Sample> out) {
    int i = skipBlanks(s, from, to);
    if (i == to || s.charAt(i) == '#') {
      return 0;
    }
    int nameStart = i;
    while (i < to && isNameChar(s.charAt(i), i == nameStart)) {
      i++;
    }
    if (i == nameStart) {
      return -1;
    }
    String name = s.subSequence(nameStart, i).toString();
    if (!wanted.test(name)) {
      return 0;
    }
    Map<String, String> labels = Map.of();
    int afterName = i;
    i = skipBlanks(s, i, to);
    boolean separated = i > afterName;
    if (i < to && s.charAt(i) == '{') {
      labels = new HashMap<>();
      i = labels(s, i + 1, to, labels);
      if (i < 0) {
        return -1;
      }
      separated = false;
    }
    int valueStart = skipBlanks(s, i, to);
    if (!separated && valueStart == i && valueStart < to) {
      return -1; // the value must be separated from the name or labels
    }
    int valueEnd = valueStart;
    while (valueEnd < to && !isBlank(s.charAt(valueEnd))) {
      valueEnd++;
    }
    if (valueEnd == valueStart) {
      return -1; // no value at all
    }
    double value;
    try {
      value = number(s.subSequence(valueStart, valueEnd).toString());
    } catch (NumberFormatException e) {
      return -1;
    }
    OptionalLong timestamp = OptionalLong.empty();
    int tsStart = skipBlanks(s, valueEnd, to);
    if (tsStart < to) {
      int tsEnd = tsStart;
      while (tsEnd < to && !isBlank(s.charAt(tsEnd))) {
        tsEnd++;
      }
      if (skipBlanks(s, tsEnd, to) != to) {
        return -1;
      }
      try {
        timestamp = OptionalLong.of(Long.parseLong(s.subSequence(tsStart, tsEnd).toString()));
      } catch (NumberFormatException e) {
        return -1;
      }
    }
    out.add(new Sample(name, labels, value, timestamp));
    return 1;
  }

  /** Reads {@code name="value", …}} into {@code labels}; the index after '}', or -1. */
  private static int labels(CharSequence s, int i, int to, Map<String, String> labels) {
    StringBuilder value = new StringBuilder();
    while (true) {
      i = skipBlanks(s, i, to);
      if (i >= to) {
        return -1;
      }
      if (s.charAt(i) == '}') {
        return i + 1;
      }
      int nameStart = i;
      while (i < to && isLabelChar(s.charAt(i), i == nameStart)) {
        i++;
      }
      if (i == nameStart) {
        return -1;
      }
      String name = s.subSequence(nameStart, i).toString();
      i = skipBlanks(s, i, to);
      if (i >= to || s.charAt(i) != '=') {
        return -1;
      }
      i = skipBlanks(s, i + 1, to);
      if (i >= to || s.charAt(i) != '"') {
        return -1;
      }
      i++;
      value.setLength(0);
      boolean closed = false;
      while (i < to) {
        char c = s.charAt(i++);
        if (c == '"') {
          closed = true;
          break;
        }
        if (c == '\\' && i < to) {
          char e = s.charAt(i++);
          value.append(e == 'n' ? '\n' : e); // \\ and \" stand for themselves
        } else {
          value.append(c);
        }
      }
      if (!closed) {
        return -1;
      }
      labels.put(name, value.toString());
      i = skipBlanks(s, i, to);
      if (i < to && s.charAt(i) == ',') {
        i++;
      } else if (i >= to || s.charAt(i) != '}') {
        return -1;
      }
    }
  }

  /** Go's float syntax as Prometheus writes it: also {@code NaN}, {@code +Inf}, {@code -Inf}. */
  static double number(String v) {
    switch (v) {
      case "NaN":
        return Double.NaN;
      case "+Inf":
      case "Inf":
        return Double.POSITIVE_INFINITY;
      case "-Inf":
        return Double.NEGATIVE_INFINITY;
      default:
        char last = v.charAt(v.length() - 1);
        if (!Character.isDigit(last) && last != '.') {
          // Java would take "1f", "1d" or "Infinity"; the exposition format does not
          throw new NumberFormatException(v);
        }
        return Double.parseDouble(v);
    }
  }

  private static int skipBlanks(CharSequence s, int i, int to) {
    while (i < to && isBlank(s.charAt(i))) {
      i++;
    }
    return i;
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t';
  }

  private static boolean isNameChar(char c, boolean first) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || c == '_'
        || c == ':'
        || (!first && c >= '0' && c <= '9');
  }

  private static boolean isLabelChar(char c, boolean first) {
    return c != ':' && isNameChar(c, first);
  }
}
