package dev.cotenant.sim.workload;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How many replicas (pods) a job runs: a fixed count, or {@code auto:MAX}, a fan-out job whose
 * replica count the scheduler picks between 1 and {@code MAX}.
 *
 * <p>{@link #toString()} renders the workload-file spelling ({@code 3}, {@code auto:30}) that
 * {@link #parse} reads back.
 */
public sealed interface Replicas permits Replicas.Fixed, Replicas.Auto {

  /** Upper bound on a replica count or on the {@code MAX} of {@code auto:MAX}. */
  int MAX_REPLICAS = 10_000;

  /**
   * Parses {@code 3} or {@code auto:30}.
   *
   * @throws IllegalArgumentException naming {@code replicas} if {@code text} is neither an integer
   *     from 1 to {@value #MAX_REPLICAS} nor {@code auto:} followed by one
   */
  static Replicas parse(String text) {
    Objects.requireNonNull(text, "text");
    // At most 9 digits so Integer.parseInt cannot overflow; the range check does the rest.
    Matcher m = Pattern.compile("(auto:)?([0-9]{1,9})").matcher(text);
    if (m.matches()) {
      int count = Integer.parseInt(m.group(2));
      if (count >= 1 && count <= MAX_REPLICAS) {
        return m.group(1) == null ? new Fixed(count) : new Auto(count);
      }
    }
    throw new IllegalArgumentException(
        "replicas must be an integer from 1 to "
            + MAX_REPLICAS
            + " or auto:MAX with MAX from 1 to "
            + MAX_REPLICAS
            + ", got '"
            + text
            + "'");
  }

  /**
   * Exactly {@code count} replicas.
   *
   * @param count 1 to {@value Replicas#MAX_REPLICAS}
   */
  record Fixed(int count) implements Replicas {
    public Fixed {
      checkRange("count", count);
    }

    @Override
    public String toString() {
      return Integer.toString(count);
    }
  }

  /**
   * As many replicas as the scheduler sees fit, from 1 to {@code max}; the job's work divides
   * evenly over them.
   *
   * @param max 1 to {@value Replicas#MAX_REPLICAS}
   */
  record Auto(int max) implements Replicas {
    public Auto {
      checkRange("max", max);
    }

    @Override
    public String toString() {
      return "auto:" + max;
    }
  }

  private static void checkRange(String field, int value) {
    if (value < 1 || value > MAX_REPLICAS) {
      throw new IllegalArgumentException(
          field + " must be between 1 and " + MAX_REPLICAS + ", got " + value);
    }
  }
}
