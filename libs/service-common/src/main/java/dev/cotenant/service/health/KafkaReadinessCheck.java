package dev.cotenant.service.health;

import dev.cotenant.service.messaging.KafkaSettings;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while a Kafka broker answers. Replaces Quarkus' own check, which waits on {@code
 * describeCluster} with no bound (the admin client's 60 s API timeout) when the broker is
 * unreachable, far past any probe timeout. This one uses the service's Kafka configuration
 * (bootstrap servers, security) with its own admin client bounded to 2 s.
 */
@Readiness
@ApplicationScoped
public class KafkaReadinessCheck implements HealthCheck {
  static final String NAME = "Kafka connection health check";
  private static final int TIMEOUT_MS = 2_000;

  private final Admin admin;

  public KafkaReadinessCheck(@Identifier("default-kafka-broker") Map<String, Object> kafka) {
    Map<String, Object> config = KafkaSettings.forClient(kafka, AdminClientConfig.configNames());
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
    config.put(AdminClientConfig.CLIENT_ID_CONFIG, "readiness");
    this.admin = Admin.create(config);
  }

  @Override
  public HealthCheckResponse call() {
    var response = HealthCheckResponse.named(NAME);
    try {
      var nodes =
          admin
              .describeCluster(new DescribeClusterOptions().timeoutMs(TIMEOUT_MS))
              .nodes()
              .get(TIMEOUT_MS + 500L, TimeUnit.MILLISECONDS);
      String brokers = nodes.stream().map(Node::host).collect(Collectors.joining(","));
      return response.withData("nodes", brokers).up().build();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return response.withData("error", "interrupted").down().build();
    } catch (Exception e) {
      return response.withData("error", String.valueOf(e.getMessage())).down().build();
    }
  }

  @PreDestroy
  void close() {
    admin.close(java.time.Duration.ofSeconds(1));
  }
}
