package dev.cotenant.profiler.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How the profiler consumes, aggregates, publishes and serves. */
@ConfigMapping(prefix = "cotenant.profiler")
public interface ProfilerConfig {

  /** Whether this instance consumes events and telemetry (off: REST only). */
  @WithDefault("true")
  boolean consume();

  /** The consumer group of both topics (one group: one model per group). */
  @WithDefault("profiler")
  String group();

  /** The device name written into the interference file and the heatmap. */
  @WithDefault("gpu")
  String device();

  /** Most job-event records handled per database transaction. */
  @WithDefault("500")
  int maxBatch();

  /** Most telemetry records one poll returns. */
  @WithDefault("2000")
  int telemetryMaxPoll();

  /** How often telemetry aggregates (and the GPU watermarks) are written to the database. */
  @WithDefault("1s")
  Duration flushInterval();

  /** At most one profile publication per app per this interval: changes in between coalesce. */
  @WithDefault("1s")
  Duration publishInterval();

  /** Pause before re-reading from the committed offsets after a database or broker failure. */
  @WithDefault("2s")
  Duration retryBackoff();

  /** The CloudEvents {@code source} of published profiles. */
  @WithDefault("/cotenant/profiler")
  String source();
}
