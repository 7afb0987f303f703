package dev.cotenant.events;

import java.time.Instant;

/**
 * What every event on a Cotenant topic carries: an id that consumers de-duplicate on, the time it
 * happened, and the Kafka record key it is partitioned by.
 */
public sealed interface CotenantEvent permits JobEvent, GpuSample, AppProfile {

  /** Unique per event; becomes the CloudEvents {@code id}. Consumers are idempotent on it. */
  String eventId();

  /** When the change happened (not when it was published). */
  Instant time();

  /** The Kafka record key: the job id, the node name or the app name. */
  String key();

  default EventType type() {
    return EventType.of(getClass());
  }
}
