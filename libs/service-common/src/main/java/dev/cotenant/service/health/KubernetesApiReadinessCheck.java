package dev.cotenant.service.health;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.VersionInfo;
import io.quarkus.arc.properties.IfBuildProperty;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while the Kubernetes API answers. Services that create, bind or watch pods enable it
 * with the build property {@code cotenant.health.kubernetes=true}.
 */
@Readiness
@ApplicationScoped
@IfBuildProperty(name = "cotenant.health.kubernetes", stringValue = "true")
public class KubernetesApiReadinessCheck implements HealthCheck {
  static final String NAME = "Kubernetes API connection health check";

  private final KubernetesClient client;

  public KubernetesApiReadinessCheck(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public HealthCheckResponse call() {
    var response =
        HealthCheckResponse.named(NAME).withData("url", client.getMasterUrl().toString());
    try {
      VersionInfo version = client.getKubernetesVersion();
      return response.withData("version", version.getGitVersion()).up().build();
    } catch (RuntimeException e) {
      return response.withData("error", String.valueOf(e.getMessage())).down().build();
    }
  }
}
