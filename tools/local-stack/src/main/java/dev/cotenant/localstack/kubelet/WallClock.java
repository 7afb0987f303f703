package dev.cotenant.localstack.kubelet;

import java.time.Instant;

/** The wall clock the kubelets run on: a monotonic reading and the instant it stands for. */
public interface WallClock {
  long nanos();

  Instant instantAt(long nanos);

  /** {@code System.nanoTime}, anchored to the system clock once, so timestamps never step. */
  static WallClock system() {
    Instant epoch = Instant.now();
    long origin = System.nanoTime();
    return new WallClock() {
      @Override
      public long nanos() {
        return System.nanoTime();
      }

      @Override
      public Instant instantAt(long nanos) {
        return epoch.plusNanos(nanos - origin);
      }
    };
  }
}
