package dev.cotenant.placement.mapping;

import dev.cotenant.events.JobSpec;
import dev.cotenant.events.JobSubmitted;
import dev.cotenant.placement.model.JobRequest;
import dev.cotenant.placement.model.PodShape;
import dev.cotenant.placement.model.Replicas;

/** A submitted job as the engine's request: only what the job says, the cluster and profiles. */
public final class JobRequests {
  private JobRequests() {}

  /**
   * @param expectedSeconds the app's profiled mean run time, 0 when unknown: the engine is told no
   *     run time from anywhere else
   * @throws IllegalArgumentException naming the field when the spec cannot be placed
   */
  public static JobRequest of(JobSubmitted job, long sequence, double expectedSeconds) {
    JobSpec spec = job.spec();
    if (spec == null || spec.resources() == null || spec.replicas() == null) {
      throw new IllegalArgumentException("spec, spec.resources and spec.replicas are required");
    }
    JobSpec.Replicas r = spec.replicas();
    Replicas replicas = r.auto() ? new Replicas.Auto(r.max()) : new Replicas.Fixed(r.count());
    return new JobRequest(
        job.jobId(),
        spec.app(),
        spec.priority(),
        sequence,
        replicas,
        shape(spec.resources()),
        Math.max(0, expectedSeconds),
        spec.policy() == null ? java.util.Optional.empty() : spec.policy());
  }

  public static PodShape shape(JobSpec.Resources r) {
    JobSpec.GpuRequest gpu = r.gpu() == null ? JobSpec.GpuRequest.none() : r.gpu();
    if (gpu.count() > 0) {
      return PodShape.whole(r.cpuMilli(), r.memoryMiB(), gpu.count());
    }
    if (gpu.milli() > 0 || gpu.memoryMiB() > 0) {
      return PodShape.share(r.cpuMilli(), r.memoryMiB(), gpu.milli(), gpu.memoryMiB());
    }
    return PodShape.cpu(r.cpuMilli(), r.memoryMiB());
  }
}
