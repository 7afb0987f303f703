package dev.cotenant.service.health;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.VersionInfo;
import io.quarkus.arc.properties.IfBuildProperty;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while the Kubernetes API answers. Services that create, bind or watch pods enable it
 * with the build property {@code cotenant.health.kubernetes=true}.
 *
 * <p>It asks with its own client, derived from the service's: same API server and credentials, but
 * no retries and a 2 s timeout, because a probe must answer within the kubelet's probe timeout
 * while the service's client rightly retries for a long time.
 */
@Readiness
@ApplicationScoped
@IfBuildProperty(name = "cotenant.health.kubernetes", stringValue = "true")
public class KubernetesApiReadinessCheck implements HealthCheck {
  static final String NAME = "Kubernetes API connection health check";

  private final KubernetesClient probe;

  public KubernetesApiReadinessCheck(KubernetesClient client) {
    Config config =
        new ConfigBuilder(client.getConfiguration())
            .withRequestRetryBackoffLimit(0)
            .withConnectionTimeout(2_000)
            .withRequestTimeout(2_000)
            .build();
    this.probe = new KubernetesClientBuilder().withConfig(config).build();
  }

  @Override
  public HealthCheckResponse call() {
    var response = HealthCheckResponse.named(NAME).withData("url", probe.getMasterUrl().toString());
    try {
      VersionInfo version = probe.getKubernetesVersion();
      return response.withData("version", String.valueOf(version.getGitVersion())).up().build();
    } catch (RuntimeException e) {
      return response.withData("error", String.valueOf(e.getMessage())).down().build();
    }
  }

  @PreDestroy
  void close() {
    probe.close();
  }
}
