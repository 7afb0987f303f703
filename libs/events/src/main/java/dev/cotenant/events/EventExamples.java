package dev.cotenant.events;

import dev.cotenant.events.JobSpec.GpuRequest;
import dev.cotenant.events.JobSpec.JobKind;
import dev.cotenant.events.JobSpec.Replicas;
import dev.cotenant.events.JobSpec.Resources;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.UUID;

/**
 * One realistic example of every event contract (a seed 001 job: two LAMMPS replicas sharing Titan
 * Xp cards), for documentation, contract tests and smoke tests against a real broker.
 */
public final class EventExamples {
  private static final String TENANT = "lab-a";
  private static final String JOB = "0b6c1f0e-5b1d-4d8e-9a57-3f1c2f4b9a10";
  private static final String NODE = "seed001-gpu";
  private static final GpuRef GPU0 = new GpuRef(0, "GPU-6f1b2c3d-0000-4000-8000-000000000000");

  private EventExamples() {}

  /** One event of each {@link EventType}, in {@link EventType} order, each with a fresh id. */
  public static List<CotenantEvent> oneOfEach() {
    Instant t0 = Instant.parse("2026-11-20T10:00:00Z");
    JobSpec spec =
        new JobSpec(
            "lammps-run",
            "lammps",
            "nvcr.io/hpc/lammps:patch_15Jun2023",
            List.of("lmp"),
            List.of("-in", "in.lj"),
            Map.of("OMP_NUM_THREADS", "2"),
            JobKind.BATCH,
            Replicas.fixed(2),
            new Resources(2000, 8192, GpuRequest.share(250, 8500)),
            10,
            Optional.of("interference-aware"),
            Map.of("team", "md"),
            Map.of("example.org/owner", "kim"));
    List<CoTenant> coTenants =
        List.of(new CoTenant("tensorflow", "tf-bench-0", CoTenant.Device.GPU, 0.8));
    return List.of(
        new JobSubmitted(id(), t0, TENANT, JOB, spec),
        new JobQueued(id(), t0.plusMillis(20), TENANT, JOB, 0, "waiting for gang of 2"),
        new JobPlaced(
            id(),
            t0.plusMillis(25),
            TENANT,
            JOB,
            "interference-aware",
            List.of(
                new PodAssignment("lammps-run-0", 0, NODE, List.of(GPU0)),
                new PodAssignment(
                    "lammps-run-1", 1, NODE, List.of(new GpuRef(1, "GPU-6f1b2c3d-0001")))),
            List.of(new CandidateScore(NODE, 0, 87.5, Map.of("interference", 91.0, "fit", 80.0)))),
        new PodBound(id(), t0.plusMillis(40), TENANT, JOB, "lammps-run-0", NODE, List.of(GPU0)),
        new PodStarted(
            id(),
            t0.plusSeconds(3),
            TENANT,
            JOB,
            "lammps",
            "lammps-run-0",
            NODE,
            List.of(GPU0),
            coTenants),
        new PodFinished(
            id(),
            t0.plusSeconds(3453),
            TENANT,
            JOB,
            "lammps",
            "lammps-run-0",
            NODE,
            List.of(GPU0),
            PodFinished.Outcome.SUCCEEDED,
            OptionalInt.of(0),
            t0.plusSeconds(3),
            3450,
            coTenants),
        new JobSucceeded(id(), t0.plusSeconds(3460), TENANT, JOB, 3460),
        new JobFailed(id(), t0.plusSeconds(10), TENANT, JOB, "OOM_KILLED", "GPU memory exceeded"),
        new JobCancelRequested(id(), t0.plusSeconds(5), TENANT, JOB, "kim"),
        new JobCancelled(id(), t0.plusSeconds(6), TENANT, JOB, "cancelled by kim"),
        new JobUnschedulable(
            id(),
            t0.plusMillis(22),
            TENANT,
            JOB,
            List.of(
                new UnschedulableReason(
                    "GpuMemoryFit", "INSUFFICIENT_GPU_MEMORY", 1, "needs 8500 MiB, 3000 free"))),
        new GpuSample(
            id(),
            t0.plusSeconds(60),
            NODE,
            GPU0,
            "TITAN-Xp",
            0.41,
            0.22,
            47,
            11800,
            12288,
            List.of("lammps-run-0", "tf-bench-0")),
        new AppProfile(
            id(),
            t0.plusSeconds(3500),
            "lammps",
            14,
            OptionalDouble.of(1650),
            8500,
            0.23,
            0.31,
            List.of(
                new AppProfile.PairEstimate("tensorflow", 0.48, 0.04, 6, false, false),
                new AppProfile.PairEstimate("qmcpack", 0.55, 0.12, 0, true, false))));
  }

  private static String id() {
    return UUID.randomUUID().toString();
  }
}
