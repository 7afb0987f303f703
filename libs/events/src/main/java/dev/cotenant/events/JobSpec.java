package dev.cotenant.events;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a user asked to run, as it travels from job-api to placement. Validated by job-api before it
 * is ever published.
 *
 * @param app the profile key interference is learned under (defaults to the image's repository)
 * @param policy a placement policy name, or empty for the cluster default
 */
public record JobSpec(
    String name,
    String app,
    String image,
    List<String> command,
    List<String> args,
    Map<String, String> env,
    JobKind kind,
    Replicas replicas,
    Resources resources,
    int priority,
    Optional<String> policy,
    Map<String, String> labels,
    Map<String, String> annotations) {

  public JobSpec {
    command = List.copyOf(command);
    args = List.copyOf(args);
    env = Map.copyOf(env);
    labels = Map.copyOf(labels);
    annotations = Map.copyOf(annotations);
  }

  public enum JobKind {
    BATCH,
    INTERACTIVE
  }

  /**
   * How many parallel replicas: a fixed count, or {@code auto} up to {@code max}, where placement
   * picks the count that finishes soonest with the capacity free now (seed 000's fan-out).
   */
  public record Replicas(boolean auto, int count, int max) {
    public static Replicas fixed(int count) {
      return new Replicas(false, count, count);
    }

    public static Replicas upTo(int max) {
      return new Replicas(true, 0, max);
    }
  }

  /** Per-replica resources. */
  public record Resources(long cpuMilli, long memoryMiB, GpuRequest gpu) {}

  /**
   * Either {@code count} whole GPUs, or a share of one GPU: {@code milli} of its compute (0-1000)
   * and a hard limit of {@code memoryMiB} of its memory. All zero means no GPU.
   */
  public record GpuRequest(int count, int milli, long memoryMiB) {
    public static GpuRequest none() {
      return new GpuRequest(0, 0, 0);
    }

    public static GpuRequest whole(int count) {
      return new GpuRequest(count, 0, 0);
    }

    public static GpuRequest share(int milli, long memoryMiB) {
      return new GpuRequest(0, milli, memoryMiB);
    }

    public boolean isShare() {
      return count == 0 && milli > 0;
    }
  }
}
