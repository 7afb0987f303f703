package dev.cotenant.placement.health;

import dev.cotenant.placement.service.PlacementService;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the informers listed the cluster, so the engine's view is whole. A standby replica is
 * ready too (it serves the operator API from its cache); {@code role} says which it is.
 */
@Readiness
@ApplicationScoped
public class SchedulerReadinessCheck implements HealthCheck {
  public static final String NAME = "Placement cluster cache";

  private final PlacementService service;

  public SchedulerReadinessCheck(PlacementService service) {
    this.service = service;
  }

  @Override
  public HealthCheckResponse call() {
    boolean synced = service.cacheSynced() && service.scheduler().synced();
    return HealthCheckResponse.named(NAME)
        .withData(
            "role",
            service.scheduler() != null && service.scheduler().active() ? "leader" : "standby")
        .status(synced)
        .build();
  }
}
