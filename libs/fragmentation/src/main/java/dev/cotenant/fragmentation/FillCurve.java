package dev.cotenant.fragmentation;

import java.util.Arrays;

/**
 * Allocated share of GPU capacity against arrived demand, one point per arrival, kept as FGD's
 * analysis reads it: the arrivals are grouped by arrived demand rounded to a whole percent, and the
 * allocation at {@code P}% arrived is the mean over the arrivals of group {@code P} (of groups
 * {@code P-1..P+1} if a very large pod skipped over {@code P}).
 */
public final class FillCurve {

  private final double[] allocatedSum;
  private final int[] arrivals;
  private int pods;
  private int placed;
  private long nanos;

  /** A curve for arrived demand up to {@code maxPercent}% (more is kept in the last group). */
  public FillCurve(int maxPercent) {
    allocatedSum = new double[maxPercent + 2];
    arrivals = new int[maxPercent + 2];
  }

  /** One arrival: the arrived demand and the allocation after it, both as shares of capacity. */
  public void record(double arrivedShare, double allocatedShare, boolean wasPlaced) {
    int group = (int) Math.min(Math.round(100 * arrivedShare), allocatedSum.length - 1);
    allocatedSum[group] += allocatedShare;
    arrivals[group]++;
    pods++;
    if (wasPlaced) {
      placed++;
    }
  }

  void addNanos(long elapsed) {
    nanos += elapsed;
  }

  /** Mean allocated share at {@code percent}% arrived demand; NaN if no arrival came near it. */
  public double allocatedAt(int percent) {
    if (percent < 0 || percent >= arrivals.length) {
      return Double.NaN;
    }
    if (arrivals[percent] > 0) {
      return allocatedSum[percent] / arrivals[percent];
    }
    double sum = 0;
    int n = 0;
    for (int p = Math.max(0, percent - 1); p <= Math.min(arrivals.length - 1, percent + 1); p++) {
      sum += allocatedSum[p];
      n += arrivals[p];
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  /** Percent of GPU capacity not allocated at {@code percent}% arrived demand. */
  public double unallocatedPercentAt(int percent) {
    return 100 * (1 - allocatedAt(percent));
  }

  /** The highest arrived percent with a point of its own. */
  public int maxPercent() {
    int last = 0;
    for (int p = 0; p < arrivals.length; p++) {
      if (arrivals[p] > 0) {
        last = p;
      }
    }
    return last;
  }

  public int pods() {
    return pods;
  }

  public int placed() {
    return placed;
  }

  /** Nanoseconds spent deciding and placing, input and set-up excluded. */
  public long placingNanos() {
    return nanos;
  }

  /** Pods decided per second of {@link #placingNanos}. */
  public double podsPerSecond() {
    return nanos == 0 ? Double.NaN : pods / (nanos / 1e9);
  }

  @Override
  public String toString() {
    return "FillCurve" + Arrays.toString(Arrays.copyOf(arrivals, maxPercent() + 1));
  }
}
