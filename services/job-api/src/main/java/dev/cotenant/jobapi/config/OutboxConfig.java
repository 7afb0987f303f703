package dev.cotenant.jobapi.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How the outbox relay publishes committed events to Kafka. */
@ConfigMapping(prefix = "cotenant.outbox")
public interface OutboxConfig {

  /** Whether this instance runs a relay (several instances share the outbox safely). */
  @WithDefault("true")
  boolean enabled();

  /** Most outbox rows claimed and published per transaction. */
  @WithDefault("500")
  int batchSize();

  /**
   * Safety-net poll interval; commits wake the relay at once, so this only bounds the rare miss.
   */
  @WithDefault("200ms")
  Duration pollInterval();

  /** Pause after a failed batch (broker or database unreachable) before trying again. */
  @WithDefault("1s")
  Duration retryBackoff();

  /** How long the producer keeps retrying one record before the batch counts as failed. */
  @WithDefault("60s")
  Duration deliveryTimeout();

  /** The CloudEvents {@code source} of every event this service publishes. */
  @WithDefault("/cotenant/job-api")
  String source();

  /** Sent rows older than this are deleted. */
  @WithDefault("1h")
  Duration retention();
}
