package dev.cotenant.eval;

import java.util.Arrays;
import java.util.List;

/**
 * One policy's figures over a run; field names are those of {@code results.json}.
 *
 * @param makespanSeconds from the first submission to the last finish
 * @param meanJctSeconds mean job completion time (finish − submit) of the jobs that succeeded
 * @param p95JctSeconds 95th percentile of the same (nearest rank)
 * @param meanSlowdown mean of completion time / the job's time alone on an idle cluster
 * @param gpuUtilization card-seconds with a running pod / (cards × makespan)
 * @param unallocatableGpuShare see {@link Fragmentation}
 * @param meanQueueSeconds mean time from submit to placement
 * @param decisionsPerSecond engine decisions / engine time spent deciding
 * @param migrations running pods the engine moved to other cards (rebalancing)
 */
public record PolicyResult(
    String policy,
    int jobs,
    int succeededJobs,
    int failedJobs,
    int neverPlacedJobs,
    double makespanSeconds,
    double meanJctSeconds,
    double p95JctSeconds,
    double meanSlowdown,
    double gpuUtilization,
    double unallocatableGpuShare,
    double meanQueueSeconds,
    double decisionsPerSecond,
    int migrations,
    List<EvalRunner.JobResult> jobResults) {

  static PolicyResult of(
      String policy,
      List<EvalRunner.JobResult> jobs,
      double busyGpuSeconds,
      int gpuCount,
      double unallocatable,
      long decisions,
      long decisionNanos,
      int migrations) {
    double firstSubmit =
        jobs.stream().mapToDouble(EvalRunner.JobResult::submitSeconds).min().orElse(0);
    double lastFinish = 0;
    double[] jct = new double[jobs.size()];
    int n = 0;
    double slowdown = 0;
    double queue = 0;
    int placed = 0;
    int failed = 0;
    for (EvalRunner.JobResult j : jobs) {
      if (j.failed()) {
        failed++;
      }
      if (j.placedSeconds().isPresent()) {
        placed++;
        queue += j.placedSeconds().getAsDouble() - j.submitSeconds();
      }
      if (j.finishedSeconds().isPresent()) {
        double c = j.completionSeconds().getAsDouble();
        jct[n++] = c;
        slowdown += c / j.idealSeconds();
        lastFinish = Math.max(lastFinish, j.finishedSeconds().getAsDouble());
      }
    }
    double[] sorted = Arrays.copyOf(jct, n);
    Arrays.sort(sorted);
    double makespan = lastFinish - firstSubmit;
    return new PolicyResult(
        policy,
        jobs.size(),
        n,
        failed,
        jobs.size() - placed,
        makespan,
        n == 0 ? Double.NaN : Arrays.stream(sorted).average().orElse(0),
        n == 0 ? Double.NaN : sorted[Math.max(0, (int) Math.ceil(0.95 * n) - 1)],
        n == 0 ? Double.NaN : slowdown / n,
        gpuCount == 0 || makespan <= 0 ? 0 : busyGpuSeconds / (gpuCount * makespan),
        unallocatable,
        placed == 0 ? Double.NaN : queue / placed,
        decisionNanos == 0 ? 0 : decisions / (decisionNanos / 1e9),
        migrations,
        jobs);
  }
}
