package dev.cotenant.placement.model;

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
 * @param soloSeconds for {@link Replicas.Fixed}, each replica's run time alone; for {@link
 *     Replicas.Auto}, the job's run time at one replica (per replica: soloSeconds / N)
 * @param policy the policy to place it with; the engine's default when empty
 */
public record JobRequest(
    String jobId,
    String app,
    int priority,
    long sequence,
    Replicas replicas,
    PodShape shape,
    double soloSeconds,
    Optional<String> policy) {

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
    if (!(soloSeconds >= 0) || Double.isInfinite(soloSeconds)) {
      throw new IllegalArgumentException(
          "soloSeconds must be a finite number >= 0, got " + soloSeconds + " (job " + jobId + ")");
    }
    if (policy == null) {
      throw new IllegalArgumentException("policy must be Optional.empty(), not null");
    }
  }

  /** Name of the pod of replica {@code index} (from 0). */
  public String podName(int index) {
    return jobId + "-" + index;
  }
}
