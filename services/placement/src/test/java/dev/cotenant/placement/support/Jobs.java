package dev.cotenant.placement.support;

import dev.cotenant.events.JobCancelRequested;
import dev.cotenant.events.JobSpec;
import dev.cotenant.events.JobSpec.GpuRequest;
import dev.cotenant.events.JobSpec.JobKind;
import dev.cotenant.events.JobSpec.Replicas;
import dev.cotenant.events.JobSpec.Resources;
import dev.cotenant.events.JobSubmitted;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Submissions as job-api publishes them. */
public final class Jobs {
  private Jobs() {}

  public static JobSubmitted share(
      String tenant, String app, int replicas, int milli, long gpuMemoryMiB) {
    return job(
        tenant, app, JobKind.BATCH, replicas, GpuRequest.share(milli, gpuMemoryMiB), List.of());
  }

  public static JobSubmitted job(
      String tenant, String app, JobKind kind, int replicas, GpuRequest gpu, List<Integer> ports) {
    String id = UUID.randomUUID().toString();
    return new JobSubmitted(
        UUID.randomUUID().toString(),
        Instant.now(),
        tenant,
        id,
        new JobSpec(
            app + "-run",
            app,
            "ghcr.io/acme/" + app + ":1",
            List.of("python", "train.py"),
            List.of("--epochs", "3"),
            Map.of("EPOCHS", "3"),
            kind,
            Replicas.fixed(replicas),
            new Resources(1000, 2048, gpu),
            0,
            Optional.empty(),
            Map.of("team", "vision"),
            Map.of("example.org/owner", "kim"),
            ports));
  }

  /** A one-replica share job placed with {@code policy}. */
  public static JobSubmitted withPolicy(
      String tenant, String app, String policy, int milli, long gpuMemoryMiB) {
    JobSubmitted j = share(tenant, app, 1, milli, gpuMemoryMiB);
    JobSpec s = j.spec();
    return new JobSubmitted(
        j.eventId(),
        j.time(),
        j.tenant(),
        j.jobId(),
        new JobSpec(
            s.name(),
            s.app(),
            s.image(),
            s.command(),
            s.args(),
            s.env(),
            s.kind(),
            s.replicas(),
            s.resources(),
            s.priority(),
            Optional.of(policy),
            s.labels(),
            s.annotations(),
            s.ports()));
  }

  public static JobCancelRequested cancel(JobSubmitted job) {
    return new JobCancelRequested(
        UUID.randomUUID().toString(), Instant.now(), job.tenant(), job.jobId(), "kim");
  }
}
