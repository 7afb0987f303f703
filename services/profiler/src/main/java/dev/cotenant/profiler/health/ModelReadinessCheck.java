package dev.cotenant.profiler.health;

import dev.cotenant.profiler.service.Bootstrap;
import dev.cotenant.profiler.service.ProfileService;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the schema is migrated and the model rebuilt from the database. */
@Readiness
@ApplicationScoped
public class ModelReadinessCheck implements HealthCheck {
  static final String NAME = "Profiler model";

  private final ProfileService service;
  private final Bootstrap bootstrap;

  public ModelReadinessCheck(ProfileService service, Bootstrap bootstrap) {
    this.service = service;
    this.bootstrap = bootstrap;
  }

  @Override
  public HealthCheckResponse call() {
    return service.ready()
        ? HealthCheckResponse.up(NAME)
        : HealthCheckResponse.named(NAME).withData("error", bootstrap.problem()).down().build();
  }
}
