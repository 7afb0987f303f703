package dev.cotenant.placement.rest;

import dev.cotenant.placement.service.DecisionLog;
import dev.cotenant.placement.service.PlacementService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Why a job went where it went, or why it waits. */
@Path("/api/v1/decisions")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Caller.USER, Caller.ADMIN})
public class DecisionResource {
  private final PlacementService service;
  private final Caller caller;

  public DecisionResource(PlacementService service, Caller caller) {
    this.service = service;
    this.caller = caller;
  }

  @GET
  @Path("{job}")
  @Operation(summary = "The latest decision about a job: chosen cards, top candidates, reasons")
  public DecisionLog.Entry decision(@PathParam("job") String job) {
    DecisionLog.Entry entry =
        service.scheduler() == null ? null : service.scheduler().decisions().get(job).orElse(null);
    // Another tenant's job is as unknown as a job that never was.
    if (entry == null || !caller.sees(entry.tenant())) {
      throw new NotFoundException("no decision about job " + job);
    }
    return entry;
  }
}
