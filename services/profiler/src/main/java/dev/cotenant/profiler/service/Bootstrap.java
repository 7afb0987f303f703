package dev.cotenant.profiler.service;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.jboss.logging.Logger;

/**
 * Brings the profiler up in the background: Flyway migrations over JDBC, then the model rebuilt
 * from the database. Retried every few seconds while PostgreSQL is unreachable, so the service
 * still starts (not ready) instead of failing as Quarkus' migrate-at-start would; the consumers and
 * the publisher wait for {@link ProfileService#ready()}.
 */
@ApplicationScoped
public class Bootstrap {
  private static final Logger LOG = Logger.getLogger(Bootstrap.class);
  private static final long RETRY_SECONDS = 3;

  private final Instance<Flyway> flyway;
  private final ProfileService service;
  private volatile boolean migrated;
  private volatile boolean stopping;
  private volatile String problem = "starting";
  private Thread thread;

  public Bootstrap(Instance<Flyway> flyway, ProfileService service) {
    this.flyway = flyway;
    this.service = service;
  }

  void start(@Observes StartupEvent event) {
    thread = new Thread(this::run, "profiler-bootstrap");
    thread.setDaemon(true);
    thread.start();
  }

  void stop(@Observes ShutdownEvent event) {
    stopping = true;
    if (thread != null) {
      thread.interrupt();
    }
  }

  private void run() {
    while (!stopping && !service.ready()) {
      try {
        if (!migrated) {
          flyway.get().migrate();
          migrated = true;
        }
        service.load();
        problem = "";
      } catch (RuntimeException e) {
        problem = String.valueOf(e.getMessage());
        LOG.warnf("profiler start-up: %s; retrying in %d s", problem, RETRY_SECONDS);
        try {
          TimeUnit.SECONDS.sleep(RETRY_SECONDS);
        } catch (InterruptedException interrupted) {
          return;
        }
      }
    }
  }

  /** Why the profiler is not ready yet (empty once it is). */
  public String problem() {
    return problem;
  }
}
