package dev.cotenant.sim.workload;

import java.util.OptionalDouble;
import java.util.regex.Pattern;

/**
 * One job of a simulated workload: when it arrives, how long it runs alone, how many replicas it
 * runs and what each replica requests. Column names of the workload file follow the Alibaba {@code
 * openb} GPU trace.
 *
 * <p>A replica asks for either whole GPUs ({@code numGpu > 0}), a share of one GPU ({@code numGpu
 * == 0}, {@code gpuMilli > 0}, {@code gpuMemoryMiB > 0}) or no GPU at all (all three 0).
 *
 * @param name job name, a DNS-1123 label (lowercase letters, digits and '-', at most {@value
 *     #MAX_NAME_LENGTH} characters)
 * @param app key of the job's interference profile: letters, digits, '-', '_' and '.'
 * @param submitTimeSeconds when the job arrives, in seconds from the start of the run, finite and
 *     &ge; 0
 * @param soloDurationSeconds finite and &gt; 0: for {@link Replicas.Fixed} the run time of each
 *     replica alone; for {@link Replicas.Auto} the run time of the whole job on one replica, its
 *     work dividing evenly over the replicas. The simulator's truth: never shown to the engine (see
 *     {@link #declared()})
 * @param replicas a fixed count or {@code auto:MAX}
 * @param cpuMilli CPU request of each replica in millicores, &ge; 0
 * @param memoryMiB memory request of each replica in MiB, &ge; 0
 * @param numGpu whole GPUs per replica, 0 to {@value #MAX_GPUS}
 * @param gpuMilli share of one GPU's compute per replica in thousandths, 0 to {@value
 *     #MILLI_PER_GPU}; only with {@code numGpu == 0}
 * @param gpuMemoryMiB GPU memory of the share in MiB, &ge; 0; positive exactly when {@code
 *     gpuMilli} is
 * @param work the amount of work the job declares in its app's own unit (training steps, epochs),
 *     finite and &gt; 0; empty when it declares none. With the app's solo rate it yields an
 *     estimate of the run time, as a real scheduler could make one
 */
public record WorkloadJob(
    String name,
    String app,
    double submitTimeSeconds,
    double soloDurationSeconds,
    Replicas replicas,
    long cpuMilli,
    long memoryMiB,
    int numGpu,
    int gpuMilli,
    long gpuMemoryMiB,
    OptionalDouble work) {

  /** Kubernetes limits a DNS-1123 label to 63 characters. */
  public static final int MAX_NAME_LENGTH = 63;

  /** Upper bound on whole GPUs per replica; it catches typos like 40 for 4. */
  public static final int MAX_GPUS = 16;

  /** {@link #gpuMilli()} of a whole GPU. */
  public static final int MILLI_PER_GPU = 1000;

  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern APP = Pattern.compile("[A-Za-z0-9._-]+");

  /** A job that declares no work. */
  public WorkloadJob(
      String name,
      String app,
      double submitTimeSeconds,
      double soloDurationSeconds,
      Replicas replicas,
      long cpuMilli,
      long memoryMiB,
      int numGpu,
      int gpuMilli,
      long gpuMemoryMiB) {
    this(
        name,
        app,
        submitTimeSeconds,
        soloDurationSeconds,
        replicas,
        cpuMilli,
        memoryMiB,
        numGpu,
        gpuMilli,
        gpuMemoryMiB,
        OptionalDouble.empty());
  }

  public WorkloadJob {
    if (work == null) {
      throw new IllegalArgumentException("work must be OptionalDouble.empty(), not null");
    }
    if (work.isPresent() && (!(work.getAsDouble() > 0) || Double.isInfinite(work.getAsDouble()))) {
      throw new IllegalArgumentException("work must be finite and > 0, got " + work.getAsDouble());
    }
    if (name == null || !isValidName(name)) {
      throw new IllegalArgumentException(
          "name must be a DNS-1123 label of at most "
              + MAX_NAME_LENGTH
              + " characters, got "
              + quoted(name));
    }
    if (app == null || !isValidApp(app)) {
      throw new IllegalArgumentException(
          "app must be non-empty letters, digits, '-', '_' or '.', got " + quoted(app));
    }
    if (!(submitTimeSeconds >= 0) || Double.isInfinite(submitTimeSeconds)) {
      throw new IllegalArgumentException(
          "submitTimeSeconds must be finite and >= 0, got " + submitTimeSeconds);
    }
    // -0.0 would be written as 0 and read back as 0.0, which a record does not consider equal.
    submitTimeSeconds += 0.0;
    if (!(soloDurationSeconds > 0) || Double.isInfinite(soloDurationSeconds)) {
      throw new IllegalArgumentException(
          "soloDurationSeconds must be finite and > 0, got " + soloDurationSeconds);
    }
    if (replicas == null) {
      throw new IllegalArgumentException("replicas must not be null");
    }
    if (cpuMilli < 0) {
      throw new IllegalArgumentException("cpuMilli must be >= 0, got " + cpuMilli);
    }
    if (memoryMiB < 0) {
      throw new IllegalArgumentException("memoryMiB must be >= 0, got " + memoryMiB);
    }
    if (numGpu < 0 || numGpu > MAX_GPUS) {
      throw new IllegalArgumentException(
          "numGpu must be between 0 and " + MAX_GPUS + ", got " + numGpu);
    }
    if (gpuMilli < 0 || gpuMilli > MILLI_PER_GPU) {
      throw new IllegalArgumentException(
          "gpuMilli must be between 0 and " + MILLI_PER_GPU + ", got " + gpuMilli);
    }
    if (gpuMemoryMiB < 0) {
      throw new IllegalArgumentException("gpuMemoryMiB must be >= 0, got " + gpuMemoryMiB);
    }
    if (numGpu > 0 && gpuMilli != 0) {
      throw new IllegalArgumentException(
          "gpuMilli must be 0 when numGpu > 0 (whole GPUs), got " + gpuMilli);
    }
    if (numGpu > 0 && gpuMemoryMiB != 0) {
      throw new IllegalArgumentException(
          "gpuMemoryMiB must be 0 when numGpu > 0 (whole GPUs), got " + gpuMemoryMiB);
    }
    if (gpuMilli > 0 && gpuMemoryMiB == 0) {
      throw new IllegalArgumentException("gpuMemoryMiB must be > 0 for a GPU share (gpuMilli > 0)");
    }
    if (gpuMilli == 0 && gpuMemoryMiB != 0) {
      throw new IllegalArgumentException(
          "gpuMemoryMiB must be 0 without a GPU share (gpuMilli 0), got " + gpuMemoryMiB);
    }
  }

  /** The same job declaring {@code work}. */
  public WorkloadJob withWork(double work) {
    return with(submitTimeSeconds, soloDurationSeconds, OptionalDouble.of(work));
  }

  /** The same job with another true solo duration (what it declares unchanged). */
  public WorkloadJob withSoloDuration(double seconds) {
    return with(submitTimeSeconds, seconds, work);
  }

  /** The same job submitted at {@code seconds}. */
  public WorkloadJob withSubmitTime(double seconds) {
    return with(seconds, soloDurationSeconds, work);
  }

  private WorkloadJob with(double submit, double solo, OptionalDouble declaredWork) {
    return new WorkloadJob(
        name,
        app,
        submit,
        solo,
        replicas,
        cpuMilli,
        memoryMiB,
        numGpu,
        gpuMilli,
        gpuMemoryMiB,
        declaredWork);
  }

  /**
   * What a user would declare of this job: everything but its true run time. The engine's side of
   * an evaluation sees only this.
   */
  public DeclaredJob declared() {
    return new DeclaredJob(
        name,
        app,
        submitTimeSeconds,
        replicas,
        cpuMilli,
        memoryMiB,
        numGpu,
        gpuMilli,
        gpuMemoryMiB,
        work);
  }

  /** Whether each replica asks for a share of one GPU rather than whole GPUs. */
  public boolean isGpuShare() {
    return numGpu == 0 && gpuMilli > 0;
  }

  /** Whether each replica asks for any GPU, whole or shared. */
  public boolean usesGpu() {
    return numGpu > 0 || isGpuShare();
  }

  /** Whether {@code name} is acceptable as {@link #name()}. */
  public static boolean isValidName(String name) {
    return name.length() <= MAX_NAME_LENGTH && NAME.matcher(name).matches();
  }

  /** Whether {@code app} is acceptable as {@link #app()}. */
  public static boolean isValidApp(String app) {
    return APP.matcher(app).matches();
  }

  private static String quoted(String s) {
    return s == null ? "null" : "'" + s + "'";
  }
}
