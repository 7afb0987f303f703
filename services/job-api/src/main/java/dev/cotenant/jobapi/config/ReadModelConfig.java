package dev.cotenant.jobapi.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How job-api follows {@code cotenant.job-events} into its read model and SSE streams. */
@ConfigMapping(prefix = "cotenant.read-model")
public interface ReadModelConfig {

  /** Whether this instance consumes job events (instances of one group share the partitions). */
  @WithDefault("true")
  boolean enabled();

  /** The consumer group; its dead-letter topic is {@code Topics.deadLetter(topic, group)}. */
  @WithDefault("job-api-read-model")
  String group();

  /** Most records handled per database transaction. */
  @WithDefault("500")
  int maxBatch();

  /** Pause after a failed batch (database or broker unreachable) before reading it again. */
  @WithDefault("1s")
  Duration retryBackoff();

  /**
   * How often an idle SSE stream looks for events stored by other instances; events this instance
   * stores wake its streams at once.
   */
  @WithDefault("1s")
  Duration ssePoll();

  /** Most stored events an SSE stream reads per query. */
  @WithDefault("500")
  int ssePage();
}
