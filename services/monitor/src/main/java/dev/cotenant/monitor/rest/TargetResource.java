package dev.cotenant.monitor.rest;

import dev.cotenant.monitor.service.MonitorService;
import dev.cotenant.monitor.telemetry.TargetHealth;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;

/**
 * The exporters being scraped and whether each is fresh. Read-only and tenant-free (no job data),
 * for operators and the tests.
 */
@Path("/api/v1/targets")
public class TargetResource {
  private final MonitorService service;

  public TargetResource(MonitorService service) {
    this.service = service;
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public List<TargetHealth.Status> targets() {
    return service.scraper().map(s -> s.health().statuses(Instant.now())).orElse(List.of());
  }
}
