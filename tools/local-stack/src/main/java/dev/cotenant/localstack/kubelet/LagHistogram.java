package dev.cotenant.localstack.kubelet;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Delays in milliseconds, counted in buckets of 1 ms up to 10 s (the last bucket holds the rest):
 * enough to say whether the simulated cluster keeps up, without keeping every sample.
 */
public final class LagHistogram {
  private static final int BUCKETS = 10_001;
  private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

  public void record(double millis) {
    int bucket = (int) Math.min(BUCKETS - 1, Math.max(0, Math.ceil(millis)));
    counts.incrementAndGet(bucket);
  }

  public long count() {
    long n = 0;
    for (int i = 0; i < BUCKETS; i++) {
      n += counts.get(i);
    }
    return n;
  }

  /** The smallest whole millisecond at or below which {@code quantile} of the samples lie. */
  public long quantileMillis(double quantile) {
    long total = count();
    if (total == 0) {
      return 0;
    }
    long rank = (long) Math.ceil(quantile * total);
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts.get(i);
      if (seen >= Math.max(1, rank)) {
        return i;
      }
    }
    return BUCKETS - 1;
  }
}
