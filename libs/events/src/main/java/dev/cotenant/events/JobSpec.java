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
 * @param ports container ports the job serves; an interactive job is reachable on them through a
 *     ClusterIP Service (empty: none, or 8888 for an interactive job)
 * @param work the amount of work each replica declares in its app's own unit (training steps,
 *     epochs), finite and &gt; 0; with the app's learned solo rate it gives placement a run-time
 *     estimate. Empty when the job declares none
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
    Map<String, String> annotations,
    List<Integer> ports,
    Optional<Double> work) {

  /** The port an interactive job serves when it names none (Jupyter's). */
  public static final int DEFAULT_INTERACTIVE_PORT = 8888;

  public JobSpec {
    // Absent in records written before ports (or work) existed.
    ports = ports == null ? List.of() : List.copyOf(ports);
    work = work == null ? Optional.empty() : work;
    if (work.isPresent() && !(work.get() > 0 && Double.isFinite(work.get()))) {
      throw new IllegalArgumentException("work must be finite and > 0, got " + work.get());
    }
    command = List.copyOf(command);
    args = List.copyOf(args);
    env = Map.copyOf(env);
    labels = Map.copyOf(labels);
    annotations = Map.copyOf(annotations);
  }

  /** A job that declares no work. */
  public JobSpec(
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
      Map<String, String> annotations,
      List<Integer> ports) {
    this(
        name,
        app,
        image,
        command,
        args,
        env,
        kind,
        replicas,
        resources,
        priority,
        policy,
        labels,
        annotations,
        ports,
        Optional.empty());
  }

  /** A job that serves no ports. */
  public JobSpec(
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
    this(
        name,
        app,
        image,
        command,
        args,
        env,
        kind,
        replicas,
        resources,
        priority,
        policy,
        labels,
        annotations,
        List.of());
  }

  /** The same job declaring {@code work} per replica. */
  public JobSpec withWork(double work) {
    return new JobSpec(
        name,
        app,
        image,
        command,
        args,
        env,
        kind,
        replicas,
        resources,
        priority,
        policy,
        labels,
        annotations,
        ports,
        Optional.of(work));
  }

  /**
   * The app a job is profiled under when it names none: its image's repository name ({@code
   * ghcr.io/acme/resnet50:1.2@sha256:…} → {@code resnet50}). Foreign pods get the same rule.
   */
  public static String repositoryName(String image) {
    String ref = image;
    int at = ref.indexOf('@');
    if (at >= 0) {
      ref = ref.substring(0, at);
    }
    int slash = ref.lastIndexOf('/');
    int colon = ref.lastIndexOf(':');
    if (colon > slash) {
      ref = ref.substring(0, colon);
    }
    return ref.substring(slash + 1);
  }

  /** The ports a Service exposes: the declared ones, else 8888 for an interactive job. */
  public List<Integer> servicePorts() {
    if (!ports.isEmpty()) {
      return ports;
    }
    return kind == JobKind.INTERACTIVE ? List.of(DEFAULT_INTERACTIVE_PORT) : List.of();
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
