package dev.cotenant.jobapi.rest;

import dev.cotenant.jobapi.config.DashboardConfig;
import dev.cotenant.jobapi.dashboard.DashboardService;
import dev.cotenant.jobapi.dashboard.DashboardViews;
import dev.cotenant.jobapi.service.InvalidJobException;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import java.time.Duration;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The data behind the dashboard page ({@code /dashboard/}), authenticated like the rest of the API.
 * Live changes come from {@code GET /api/v1/events}, followed from the timeline's {@code lastSeq}.
 */
@Path(DashboardResource.PATH)
@RolesAllowed({CallerFactory.USER, CallerFactory.ADMIN})
@Tag(name = "dashboard")
@SecurityRequirement(name = "jwt")
public class DashboardResource {
  public static final String PATH = "/api/v1/dashboard";

  private final DashboardService dashboard;
  private final CallerFactory callers;
  private final DashboardConfig config;

  public DashboardResource(
      DashboardService dashboard, CallerFactory callers, DashboardConfig config) {
    this.dashboard = dashboard;
    this.callers = callers;
    this.config = config;
  }

  @GET
  @Path("/cluster")
  @Operation(
      summary =
          "Every GPU card as the monitor last reported it: use, memory, and its pods (other"
              + " tenants' counted, not named)")
  public Uni<DashboardViews.Cluster> cluster() {
    return dashboard.cluster(callers.caller());
  }

  @GET
  @Path("/timeline")
  @Operation(
      summary =
          "The caller's pods that ran on each card in the last `minutes` (default 30), and the"
              + " event stream position to follow live from")
  public Uni<DashboardViews.Timeline> timeline(@QueryParam("minutes") String minutes) {
    return dashboard.timeline(callers.caller(), window(minutes));
  }

  @GET
  @Path("/jobs/{id}/decision")
  @Operation(
      summary =
          "Why the job went where it did: policy, pods, ranked candidates with each plugin's"
              + " score, and a link to its trace (404 for another tenant's job)")
  public Uni<DashboardViews.Decision> decision(@PathParam("id") String id) {
    return dashboard.decision(callers.caller(), id);
  }

  @GET
  @Path("/interference")
  @Operation(
      summary =
          "The profiler's latest knowledge: solo profiles and pairwise normalised throughput,"
              + " measured or predicted")
  public DashboardViews.Interference interference() {
    callers.caller(); // a token without a tenant is refused here too
    return dashboard.interference();
  }

  @GET
  @Path("/settings")
  @Operation(summary = "What the page needs of this deployment (the trace search URL)")
  public DashboardViews.Settings settings() {
    callers.caller();
    return dashboard.settings();
  }

  private Duration window(String minutes) {
    if (minutes == null) {
      return config.timelineWindow();
    }
    long max = config.timelineMaxWindow().toMinutes();
    try {
      long m = Long.parseLong(minutes);
      if (m >= 1 && m <= max) {
        return Duration.ofMinutes(m);
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new InvalidJobException("minutes", "a whole number of minutes from 1 to " + max);
  }
}
