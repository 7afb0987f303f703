package dev.cotenant.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every Cotenant service promises operators: a readiness endpoint that checks each of its
 * connections, and Prometheus metrics. A service's {@code @QuarkusTest} extends this and names its
 * checks.
 */
public abstract class ServiceReadinessContract {
  public static final String KAFKA = "Kafka connection health check";
  public static final String POSTGRES = "Reactive PostgreSQL connections health check";
  public static final String KUBERNETES = "Kubernetes API connection health check";

  @TestHTTPResource("/q/health/ready")
  URL ready;

  @TestHTTPResource("/q/metrics")
  URL metrics;

  /** The readiness checks this service must run, by name. */
  protected abstract List<String> expectedChecks();

  @Test
  void readinessChecksEachConnectionAndAllAreUp() throws Exception {
    // A service may finish starting in the background (the profiler rebuilds its model): give it
    // a while to become ready, then insist.
    HealthProbe.Health health = HealthProbe.read(ready.toURI());
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
    while (!health.isUp() && System.nanoTime() < deadline) {
      Thread.sleep(200);
      health = HealthProbe.read(ready.toURI());
    }
    assertThat(health.checks())
        .containsKeys(expectedChecks().toArray(String[]::new))
        .allSatisfy((name, status) -> assertThat(status).as(name).isEqualTo("UP"));
    assertThat(health.isUp()).isTrue();
  }

  @Test
  void exposesPrometheusMetrics() throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(metrics.toURI()).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("# TYPE jvm_memory_used_bytes gauge");
  }
}
