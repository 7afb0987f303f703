package dev.cotenant.placement.model;

import java.util.List;
import java.util.Optional;

/**
 * A job to place.
 *
 * @param jobId unique id; pods are named {@code jobId-<replica>}
 * @param app the application, the key of the interference model's profiles and pairs
 * @param priority higher runs first
 * @param sequence submission order, FIFO among equals
 * @param replicas the gang size, fixed or right-sized
 * @param shape what each replica asks for
 * @param runTime for {@link Replicas.Fixed}, each replica's expected run time alone; for {@link
 *     Replicas.Auto}, the job's at one replica (per replica: 1/N of it). An estimate with its
 *     uncertainty, never the truth
 * @param policy the policy to place it with; the engine's default when empty
 * @param gpuModels the GPU models (card model names) its pods accept, a hard constraint; empty for
 *     any
 */
public record JobRequest(
    String jobId,
    String app,
    int priority,
    long sequence,
    Replicas replicas,
    PodShape shape,
    RunTimeEstimate runTime,
    Optional<String> policy,
    List<String> gpuModels) {

  /** A job that accepts any GPU model. */
  public JobRequest(
      String jobId,
      String app,
      int priority,
      long sequence,
      Replicas replicas,
      PodShape shape,
      RunTimeEstimate runTime,
      Optional<String> policy) {
    this(jobId, app, priority, sequence, replicas, shape, runTime, policy, List.of());
  }

  /** A job whose solo run time is taken as given ({@link RunTimeEstimate#given}). */
  public JobRequest(
      String jobId,
      String app,
      int priority,
      long sequence,
      Replicas replicas,
      PodShape shape,
      double soloSeconds,
      Optional<String> policy) {
    this(
        jobId,
        app,
        priority,
        sequence,
        replicas,
        shape,
        RunTimeEstimate.given(soloSeconds),
        policy);
  }

  public JobRequest {
    if (jobId == null || jobId.isBlank()) {
      throw new IllegalArgumentException("jobId must not be blank");
    }
    if (app == null || app.isBlank()) {
      throw new IllegalArgumentException("app must not be blank (job " + jobId + ")");
    }
    if (replicas == null) {
      throw new IllegalArgumentException("replicas must be given (job " + jobId + ")");
    }
    if (shape == null) {
      throw new IllegalArgumentException("shape must be given (job " + jobId + ")");
    }
    if (runTime == null) {
      throw new IllegalArgumentException("runTime must be given (job " + jobId + ")");
    }
    if (policy == null) {
      throw new IllegalArgumentException("policy must be Optional.empty(), not null");
    }
    gpuModels = gpuModels == null ? List.of() : List.copyOf(gpuModels);
  }

  /** The expected solo run time the engine weighs costs by: {@link #runTime}'s mean. */
  public double soloSeconds() {
    return runTime.meanSeconds();
  }

  /** Whether its pods may run on a card of this model. */
  public boolean acceptsGpuModel(String model) {
    return gpuModels.isEmpty() || gpuModels.contains(model);
  }

  /** Name of the pod of replica {@code index} (from 0). */
  public String podName(int index) {
    return jobId + "-" + index;
  }
}
