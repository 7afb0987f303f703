package dev.cotenant.jobapi.dashboard;

import dev.cotenant.events.CandidateScore;
import dev.cotenant.events.PodAssignment;
import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;

/** What the dashboard's endpoints return. */
public final class DashboardViews {
  private DashboardViews() {}

  /** The cards as last reported, with the pods on each the caller may see by name. */
  public record Cluster(Instant at, List<Card> cards) {}

  /**
   * One card: its telemetry and its co-tenants. {@code otherPods} counts the pods of other tenants,
   * which a tenant sees as load but not by name.
   */
  public record Card(
      String node,
      int gpu,
      String uuid,
      String model,
      double smActivity,
      double dramActivity,
      double utilizationPercent,
      long memoryUsedMiB,
      long memoryTotalMiB,
      Instant sampledAt,
      boolean stale,
      List<PodOnCard> pods,
      int otherPods) {}

  /** A pod on a card; {@code jobId} and {@code jobName} are null for a pod no job of ours owns. */
  public record PodOnCard(String pod, String jobId, String jobName) {}

  /**
   * The pods that ran on each card in a window, and the stream position to follow live from. {@code
   * truncated} says the window held more pod events than one read takes.
   */
  public record Timeline(
      Instant from, Instant to, long lastSeq, boolean truncated, List<Bar> bars) {}

  /**
   * One pod's run on one card ({@code gpu} -1 for a pod without a GPU); {@code end} and {@code
   * outcome} are null while it runs.
   */
  public record Bar(
      String node,
      int gpu,
      String pod,
      String jobId,
      String jobName,
      String app,
      Instant start,
      Instant end,
      String outcome) {

    public Bar withJobName(String name) {
      return new Bar(node, gpu, pod, jobId, name, app, start, end, outcome);
    }
  }

  /** The profiler's interference knowledge: each app's solo profile and its pairs. */
  public record Interference(List<App> apps, List<Pair> pairs) {}

  public record App(
      String app,
      long observations,
      OptionalDouble soloSeconds,
      long gpuMemoryMiB,
      double smActivity,
      Instant updatedAt) {}

  /**
   * The normalised throughput of {@code app} beside {@code with}: measured from {@code count} runs,
   * or predicted for a pair never seen.
   */
  public record Pair(
      String app,
      String with,
      double normalizedThroughput,
      double uncertainty,
      long count,
      boolean predicted,
      boolean incompatible) {}

  /**
   * Why a job went where it did: its latest placement's policy, pods and ranked candidates, and
   * where its trace is; all empty while it is not placed.
   */
  public record Decision(
      String jobId,
      String policy,
      Instant placedAt,
      List<PodAssignment> pods,
      List<CandidateScore> topCandidates,
      String traceUrl) {}

  /** What the page needs to know of this deployment. */
  public record Settings(String traceSearchUrl) {}
}
