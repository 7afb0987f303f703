package dev.cotenant.interference.learn;

import java.util.Map;
import java.util.OptionalDouble;

/**
 * One finished pod, as the estimator learns from it: its app, how long it ran, how much work it did
 * (when the app reports it), and for each co-tenant app the share of its run time spent beside it
 * on the pod's GPU. Several co-tenants at once are fine; a co-tenant app with several pods counts
 * the sum of their shares.
 *
 * @param app the profile key
 * @param runSeconds wall-clock run time, from start to end of its containers (0 allowed for a pod
 *     OOM-killed as it started)
 * @param work work done in the app's own unit (iterations, samples); absent means every run of the
 *     app does the same work, so run times are comparable
 * @param gpuShares co-tenant app → share of {@code runSeconds} spent beside it (0-1 per pod)
 * @param oomKilled the pod was killed for memory: evidence that it cannot share with its co-tenant
 */
public record Observation(
    String app,
    double runSeconds,
    OptionalDouble work,
    Map<String, Double> gpuShares,
    boolean oomKilled) {

  public Observation {
    if (app == null || app.isBlank()) {
      throw new IllegalArgumentException("observation app must not be blank");
    }
    // A pod killed as it started ran 0 s; a completed run must have taken time.
    if (!(oomKilled ? runSeconds >= 0 : runSeconds > 0) || Double.isInfinite(runSeconds)) {
      throw new IllegalArgumentException(
          "runSeconds must be "
              + (oomKilled ? "non-negative" : "positive")
              + ", got "
              + runSeconds);
    }
    if (work.isPresent() && !(work.getAsDouble() > 0 && Double.isFinite(work.getAsDouble()))) {
      throw new IllegalArgumentException("work must be positive, got " + work.getAsDouble());
    }
    // Sorted: whatever iterates it does so in the same order in every JVM.
    gpuShares = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(gpuShares));
    gpuShares.forEach(
        (with, share) -> {
          if (!(share >= 0) || Double.isInfinite(share)) {
            throw new IllegalArgumentException(
                "share of " + app + " beside " + with + " must be non-negative, got " + share);
          }
        });
  }

  public static Observation completed(
      String app, double runSeconds, Map<String, Double> gpuShares) {
    return new Observation(app, runSeconds, OptionalDouble.empty(), gpuShares, false);
  }

  public static Observation oomKilled(
      String app, double runSeconds, Map<String, Double> gpuShares) {
    return new Observation(app, runSeconds, OptionalDouble.empty(), gpuShares, true);
  }

  /** The same observation with the work it did. */
  public Observation withWork(double units) {
    return new Observation(app, runSeconds, OptionalDouble.of(units), gpuShares, oomKilled);
  }
}
