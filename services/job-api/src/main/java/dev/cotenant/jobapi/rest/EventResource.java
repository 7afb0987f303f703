package dev.cotenant.jobapi.rest;

import dev.cotenant.jobapi.service.EventStreams;
import io.smallrye.mutiny.Multi;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The caller's tenant's job events as one server-sent event stream. */
@Path(EventResource.PATH)
@RolesAllowed({CallerFactory.USER, CallerFactory.ADMIN})
@Tag(name = "events")
@SecurityRequirement(name = "jwt")
public class EventResource {
  public static final String PATH = "/api/v1/events";

  private final EventStreams streams;
  private final CallerFactory callers;

  public EventResource(EventStreams streams, CallerFactory callers) {
    this.streams = streams;
    this.callers = callers;
  }

  @GET
  @Produces(MediaType.SERVER_SENT_EVENTS)
  @Operation(
      summary =
          "Every job event of the caller's tenant, stored ones first, then live; resumes after"
              + " Last-Event-ID")
  public Multi<OutboundSseEvent> events(
      @HeaderParam(SseEvents.LAST_EVENT_ID) String lastEventId, @Context Sse sse) {
    long after = SseEvents.resumeAfter(lastEventId);
    return streams.ofTenant(callers.caller(), after).map(event -> SseEvents.of(sse, event));
  }
}
