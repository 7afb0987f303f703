package dev.cotenant.jobapi.repository;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.jboss.logging.Logger;

/**
 * Applies the Flyway migrations over JDBC. Tried once at start; if PostgreSQL is not reachable yet
 * the service still starts (and reports not ready) and the migration is retried every few seconds,
 * instead of Quarkus' migrate-at-start, which would stop the service from starting at all.
 */
@ApplicationScoped
public class SchemaMigrator {
  private static final Logger LOG = Logger.getLogger(SchemaMigrator.class);
  private static final long RETRY_SECONDS = 3;

  private final Instance<Flyway> flyway;
  private volatile boolean migrated;
  private volatile String lastError = "not tried yet";
  private ScheduledExecutorService retries;

  public SchemaMigrator(Instance<Flyway> flyway) {
    this.flyway = flyway;
  }

  void start(@Observes StartupEvent event) {
    if (!tryMigrate()) {
      retries =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "schema-migrator");
                t.setDaemon(true);
                return t;
              });
      retries.scheduleWithFixedDelay(
          () -> {
            if (tryMigrate()) {
              retries.shutdown();
            }
          },
          RETRY_SECONDS,
          RETRY_SECONDS,
          TimeUnit.SECONDS);
    }
  }

  void stop(@Observes ShutdownEvent event) {
    if (retries != null) {
      retries.shutdownNow();
    }
  }

  synchronized boolean tryMigrate() {
    if (migrated) {
      return true;
    }
    try {
      var result = flyway.get().migrate();
      migrated = true;
      LOG.infof("database schema at version %s", flyway.get().info().current().getVersion());
      return result.success;
    } catch (RuntimeException e) {
      lastError = String.valueOf(e.getMessage());
      LOG.warnf("database migration failed, retrying in %d s: %s", RETRY_SECONDS, lastError);
      return false;
    }
  }

  public boolean migrated() {
    return migrated;
  }

  public String lastError() {
    return lastError;
  }
}
