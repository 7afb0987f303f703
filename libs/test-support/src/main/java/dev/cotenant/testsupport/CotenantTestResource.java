package dev.cotenant.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Points a {@code @QuarkusTest} at the real Kafka broker, PostgreSQL server and Kubernetes API of
 * {@link TestStack}. Use with {@code @QuarkusTestResource(value = CotenantTestResource.class,
 * initArgs = @ResourceArg(name = "database", value = "job_api"))}; without a database argument no
 * datasource is configured.
 */
public class CotenantTestResource implements QuarkusTestResourceLifecycleManager {
  public static final String DATABASE_ARG = "database";

  private Optional<String> database = Optional.empty();

  @Override
  public void init(Map<String, String> initArgs) {
    database = Optional.ofNullable(initArgs.get(DATABASE_ARG));
  }

  @Override
  public Map<String, String> start() {
    TestStack stack = TestStack.get();
    Map<String, String> config = new HashMap<>();
    config.put("kafka.bootstrap.servers", stack.kafka().bootstrapServers());
    config.put("quarkus.kubernetes-client.api-server-url", stack.kubernetes().url());
    config.put("quarkus.kubernetes-client.trust-certs", "true");
    config.put("quarkus.kubernetes-client.namespace", "default");
    database.ifPresent(
        name -> {
          PostgresServer postgres = stack.postgres();
          postgres.createDatabase(name);
          config.put("quarkus.datasource.reactive.url", postgres.reactiveUrl(name));
          config.put("quarkus.datasource.jdbc.url", postgres.jdbcUrl(name));
          config.put("quarkus.datasource.username", PostgresServer.USER);
          config.put("quarkus.datasource.password", PostgresServer.PASSWORD);
        });
    return config;
  }

  @Override
  public void stop() {
    // The stack outlives one test class on purpose; TestStack stops it when the JVM exits.
  }
}
