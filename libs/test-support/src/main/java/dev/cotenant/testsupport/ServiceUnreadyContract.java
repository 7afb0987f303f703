package dev.cotenant.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.net.URL;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The other half of {@link ServiceReadinessContract}: with its dependencies unreachable, a service
 * must say it is not ready and name each failing check. A service's test extends this with
 * {@code @QuarkusTest @TestProfile(ServiceUnreadyContract.UnreachableDependencies.class)}.
 */
public abstract class ServiceUnreadyContract {

  /** Every dependency pointed at a loopback port where nothing listens. */
  public static class UnreachableDependencies implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      String nowhere = "127.0.0.1:" + Ports.free();
      return Map.of(
          "kafka.bootstrap.servers", nowhere,
          "quarkus.datasource.reactive.url", "postgresql://" + nowhere + "/none",
          "quarkus.kubernetes-client.api-server-url", "http://" + nowhere);
    }
  }

  @TestHTTPResource("/q/health/ready")
  URL ready;

  /** The readiness checks that must report DOWN, by name. */
  protected abstract List<String> expectedDownChecks();

  @Test
  void notReadyAndNamesEachUnreachableDependency() throws Exception {
    HealthProbe.Health health = HealthProbe.read(ready.toURI());
    assertThat(health.isUp()).isFalse();
    for (String check : expectedDownChecks()) {
      assertThat(health.checks()).containsEntry(check, "DOWN");
    }
  }
}
