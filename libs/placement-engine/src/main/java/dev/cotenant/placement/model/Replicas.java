package dev.cotenant.placement.model;

/** How many pods a job runs: a fixed gang, or as many as minimise completion time now. */
public sealed interface Replicas {

  /** The most replicas this request may get. */
  int max();

  /** Exactly {@code count} replicas, all placed together or none. */
  record Fixed(int count) implements Replicas {
    public Fixed {
      if (count < 1) {
        throw new IllegalArgumentException("replicas count must be >= 1, got " + count);
      }
    }

    @Override
    public int max() {
      return count;
    }
  }

  /** Between 1 and {@code max} replicas, right-sized by the engine (the work divides evenly). */
  record Auto(int max) implements Replicas {
    public Auto {
      if (max < 1) {
        throw new IllegalArgumentException("replicas max must be >= 1, got " + max);
      }
    }
  }
}
