package dev.cotenant.localstack.kubelet;

import java.time.Instant;

/** A wall clock the test moves by hand. */
final class FakeWall implements WallClock {
  static final Instant EPOCH = Instant.parse("2026-12-02T00:00:00Z");
  private long nanos = 1_000_000_000L;

  @Override
  public synchronized long nanos() {
    return nanos;
  }

  @Override
  public Instant instantAt(long at) {
    return EPOCH.plusNanos(at - 1_000_000_000L);
  }

  synchronized void advanceMillis(double millis) {
    nanos += Math.round(millis * 1e6);
  }

  Instant now() {
    return instantAt(nanos());
  }
}
