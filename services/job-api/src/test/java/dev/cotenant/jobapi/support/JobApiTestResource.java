package dev.cotenant.jobapi.support;

import dev.cotenant.testsupport.CotenantTestResource;
import dev.cotenant.testsupport.TestStack;
import java.util.HashMap;
import java.util.Map;

/**
 * The shared test stack (Kafka, PostgreSQL database {@code job_api}) plus what the job tests need:
 * the public key of {@link Tokens}, and tracing on (spans recorded; exporting them fails quietly)
 * so that submissions carry a trace context.
 */
public class JobApiTestResource extends CotenantTestResource {

  @Override
  public void init(Map<String, String> initArgs) {
    Map<String, String> args = new HashMap<>(initArgs);
    args.putIfAbsent(DATABASE_ARG, "job_api");
    super.init(args);
  }

  @Override
  public Map<String, String> start() {
    Map<String, String> config = new HashMap<>(super.start());
    TestStack.get().kafka().createCotenantTopics(3);
    config.put("mp.jwt.verify.publickey.location", Tokens.publicKeyFile().toString());
    config.put("quarkus.otel.sdk.disabled", "false");
    // Spans are recorded so requests have a trace context; no collector runs, so quiet export.
    config.put("quarkus.log.category.\"io.quarkus.opentelemetry.runtime.exporter\".level", "OFF");
    return config;
  }
}
