package dev.cotenant.sim.workload;

import java.util.OptionalDouble;

/**
 * A workload job as its submitter declares it: no true run time, which only the simulator holds.
 * Fields as in {@link WorkloadJob}.
 */
public record DeclaredJob(
    String name,
    String app,
    double submitTimeSeconds,
    Replicas replicas,
    long cpuMilli,
    long memoryMiB,
    int numGpu,
    int gpuMilli,
    long gpuMemoryMiB,
    OptionalDouble work) {}
