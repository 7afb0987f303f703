package dev.cotenant.jobapi.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

/** What a job may ask for; requests beyond these limits are rejected with 400. */
@ConfigMapping(prefix = "cotenant.jobs")
public interface JobLimitsConfig {

  /** Most replicas a job may ask for, fixed or as the {@code maxReplicas} of {@code auto}. */
  @WithDefault("256")
  int maxReplicas();

  /** Most CPU per replica, in thousandths of a core. */
  @WithDefault("64000")
  long maxCpuMilli();

  /** Most memory per replica, in MiB. */
  @WithDefault("524288")
  long maxMemoryMiB();

  /** Most whole GPUs per replica. */
  @WithDefault("8")
  int maxGpusPerReplica();

  /** Most GPU memory a GPU share may reserve, in MiB. */
  @WithDefault("81920")
  long maxGpuMemoryMiB();

  /** Lowest priority a job may have. */
  @WithDefault("-1000")
  int minPriority();

  /** Highest priority a job may have. */
  @WithDefault("1000")
  int maxPriority();

  /**
   * Placement policies a job may name, to narrow what users may choose; unset means every policy
   * the placement engine has ({@code libs/placement-engine}'s {@code Policies}).
   */
  Optional<List<String>> policies();

  /** Most entries in {@code command} plus {@code args}. */
  @WithDefault("256")
  int maxArguments();

  /** Longest single command or argument string, in characters. */
  @WithDefault("4096")
  int maxArgumentLength();

  /** Most environment variables. */
  @WithDefault("128")
  int maxEnv();

  /** Longest environment variable value, in characters. */
  @WithDefault("32768")
  int maxEnvValueLength();

  /** Most labels, and separately most annotations. */
  @WithDefault("64")
  int maxLabels();

  /** Total size of all annotation keys and values, in characters (Kubernetes allows 256 KiB). */
  @WithDefault("65536")
  int maxAnnotationsSize();

  /** Most container ports a job may serve (each one becomes a port of its Service). */
  @WithDefault("16")
  int maxPorts();

  /** Page size of {@code GET /jobs} when the request names none. */
  @WithDefault("50")
  int defaultPageSize();

  /** Largest page size {@code GET /jobs} serves. */
  @WithDefault("500")
  int maxPageSize();
}
