package dev.cotenant.jobapi.health;

import dev.cotenant.jobapi.repository.SchemaMigrator;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only once the Flyway migrations have been applied. */
@Readiness
@ApplicationScoped
public class SchemaReadinessCheck implements HealthCheck {
  static final String NAME = "Database schema";

  private final SchemaMigrator migrator;

  public SchemaReadinessCheck(SchemaMigrator migrator) {
    this.migrator = migrator;
  }

  @Override
  public HealthCheckResponse call() {
    return migrator.migrated()
        ? HealthCheckResponse.up(NAME)
        : HealthCheckResponse.named(NAME).withData("error", migrator.lastError()).down().build();
  }
}
