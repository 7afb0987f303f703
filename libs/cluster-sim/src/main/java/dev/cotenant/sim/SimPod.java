package dev.cotenant.sim;

import java.util.List;

/**
 * A pod the simulator runs: where placement put it and how long it would take alone.
 *
 * @param name unique pod name
 * @param jobId the job it belongs to
 * @param app the profile key its interference is looked up by
 * @param node the node it was bound to
 * @param gpus indexes of the GPU cards it uses (empty for a CPU-only pod)
 * @param cpuMilli its CPU request; the CPU it keeps busy when its app has no profiled CPU use
 * @param gpuMemoryMiB GPU memory it reserves per card (its hard limit)
 * @param soloSeconds run time alone on an idle node; {@code Double.POSITIVE_INFINITY} for a service
 *     that runs until it is removed
 */
public record SimPod(
    String name,
    String jobId,
    String app,
    String node,
    List<Integer> gpus,
    long cpuMilli,
    long gpuMemoryMiB,
    double soloSeconds) {

  /** The same pod on other cards with {@code soloSeconds} of work left (a migration). */
  public SimPod movedTo(String newNode, List<Integer> newGpus, double remainingSoloSeconds) {
    return new SimPod(
        name, jobId, app, newNode, newGpus, cpuMilli, gpuMemoryMiB, remainingSoloSeconds);
  }

  public SimPod {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("pod name must not be blank");
    }
    if (app == null || app.isBlank()) {
      throw new IllegalArgumentException("app of pod " + name + " must not be blank");
    }
    gpus = List.copyOf(gpus);
    if (cpuMilli < 0 || gpuMemoryMiB < 0) {
      throw new IllegalArgumentException("cpuMilli and gpuMemoryMiB of " + name + " must be >= 0");
    }
    if (!(soloSeconds > 0)) {
      throw new IllegalArgumentException(
          "soloSeconds of " + name + " must be positive, got " + soloSeconds);
    }
  }
}
