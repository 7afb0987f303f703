package dev.cotenant.jobapi.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * The dashboard's data: telemetry and profiles read from Kafka, job history from the read model.
 */
@ConfigMapping(prefix = "cotenant.dashboard")
public interface DashboardConfig {

  /** Whether this instance follows the telemetry and profile topics for the dashboard. */
  @WithDefault("true")
  boolean enabled();

  /**
   * A card not reported for this long is shown as stale: the monitor scrapes every few seconds, so
   * several missed scrapes mean its exporter or node is gone.
   */
  @WithDefault("30s")
  Duration staleAfter();

  /**
   * At most one scrape per node is read in this time, the rest skipped unparsed: the page refreshes
   * every 2 s, and at 1,000 nodes × 8 cards a scrape a second would be 8,000 samples a second to
   * decode for a view of the newest one per card. Below {@link #staleAfter()}.
   */
  @WithDefault("5s")
  Duration telemetryEvery();

  /** A card not reported for this long is left out (a node that was removed). */
  @WithDefault("10m")
  Duration forgetAfter();

  /** The timeline's default span back from now. */
  @WithDefault("30m")
  Duration timelineWindow();

  /** The timeline's longest span, so one request cannot read a tenant's whole history. */
  @WithDefault("24h")
  Duration timelineMaxWindow();

  /** Most pod events one timeline reads. */
  @WithDefault("20000")
  int timelineMaxEvents();

  /**
   * Where a job's trace is searched, {@code {job}} replaced by the job id, e.g. Zipkin's {@code
   * http://127.0.0.1:19411/zipkin/?annotationQuery=cotenant.job.id%3D{job}}; no link if unset.
   */
  Optional<String> traceSearchUrl();
}
