package dev.cotenant.jobapi.support;

import dev.cotenant.testsupport.ServiceTestResource;
import dev.cotenant.testsupport.TestDatabase;
import java.util.Map;

/**
 * The shared test stack with the {@code job_api} database, plus tracing on (spans recorded;
 * exporting them fails quietly) so that submissions carry a trace context.
 */
public class JobApiTestResource extends ServiceTestResource {
  public static final TestDatabase DATABASE = new TestDatabase("job_api");

  public JobApiTestResource() {
    super(DATABASE);
  }

  @Override
  protected Map<String, String> serviceConfig() {
    return Map.of(
        "quarkus.otel.sdk.disabled",
        "false",
        // Spans are recorded so requests have a trace context; no collector runs, so quiet export.
        "quarkus.log.category.\"io.opentelemetry.exporter.zipkin\".level",
        "OFF",
        // A short body deadline, so that the trickling-body test waits seconds, not the default.
        "cotenant.http.body-timeout",
        "2S",
        // Every telemetry sample read, so a test's samples are seen in the order it sends them.
        "cotenant.dashboard.telemetry-every",
        "0s");
  }
}
