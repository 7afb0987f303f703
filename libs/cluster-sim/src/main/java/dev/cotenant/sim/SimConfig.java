package dev.cotenant.sim;

/**
 * How the simulated kubelets start pods. A node starts at most {@code parallelStartsPerNode} pods
 * at once and each start takes {@code podStartSeconds} (image present, container create, process
 * start); the rest wait their turn. Seed 000 saw 30 containers start 59 s apart on one worker.
 *
 * @param podStartSeconds seconds from bind to running, per pod, ≥ 0
 * @param parallelStartsPerNode how many pods one node starts at the same time, ≥ 1
 * @param migrationSeconds what a migrated pod pays besides its start: writing its checkpoint and
 *     restoring from it, ≥ 0
 * @param noiseSigma run-to-run variation: each pod's solo rate is multiplied by {@code exp(σ·Z)}, Z
 *     standard normal, drawn once per pod name (a moved pod keeps its draw; a retry is a new run);
 *     0 for runs that follow the ground truth exactly
 * @param noiseSeed seeds the draws, so a run is reproducible and every policy sees the same draw
 *     for the same pod
 */
public record SimConfig(
    double podStartSeconds,
    int parallelStartsPerNode,
    double migrationSeconds,
    double noiseSigma,
    long noiseSeed) {

  public SimConfig {
    if (!(podStartSeconds >= 0)) {
      throw new IllegalArgumentException("podStartSeconds must be >= 0, got " + podStartSeconds);
    }
    if (parallelStartsPerNode < 1) {
      throw new IllegalArgumentException(
          "parallelStartsPerNode must be >= 1, got " + parallelStartsPerNode);
    }
    if (!(migrationSeconds >= 0) || Double.isInfinite(migrationSeconds)) {
      throw new IllegalArgumentException(
          "migrationSeconds must be a finite number >= 0, got " + migrationSeconds);
    }
    if (!(noiseSigma >= 0) || noiseSigma > 2) {
      throw new IllegalArgumentException("noiseSigma must be within [0, 2], got " + noiseSigma);
    }
  }

  /** Runs without noise. */
  public SimConfig(double podStartSeconds, int parallelStartsPerNode, double migrationSeconds) {
    this(podStartSeconds, parallelStartsPerNode, migrationSeconds, 0, 0);
  }

  /** The same starts with run-to-run noise {@code sigma}, drawn from {@code seed}. */
  public SimConfig withNoise(double sigma, long seed) {
    return new SimConfig(podStartSeconds, parallelStartsPerNode, migrationSeconds, sigma, seed);
  }

  /** The same with another checkpoint round trip. */
  public SimConfig withMigrationSeconds(double seconds) {
    return new SimConfig(podStartSeconds, parallelStartsPerNode, seconds, noiseSigma, noiseSeed);
  }

  /**
   * The factor on the solo rate of the pod named {@code podName}: lognormal with median 1, a pure
   * function of the name and the seed.
   */
  public double noiseFactor(String podName) {
    if (noiseSigma == 0) {
      return 1;
    }
    long mixed = noiseSeed * 0x9E3779B97F4A7C15L ^ podName.hashCode() * 0xC2B2AE3D27D4EB4FL;
    return Math.exp(noiseSigma * new java.util.SplittableRandom(mixed).nextGaussian());
  }

  /** Pods that are never migrated (or migrate for free). */
  public SimConfig(double podStartSeconds, int parallelStartsPerNode) {
    this(podStartSeconds, parallelStartsPerNode, 0);
  }

  /** Pods run the moment they are bound. */
  public static SimConfig instantStarts() {
    return new SimConfig(0, Integer.MAX_VALUE);
  }
}
