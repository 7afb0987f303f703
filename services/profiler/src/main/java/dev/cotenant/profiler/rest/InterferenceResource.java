package dev.cotenant.profiler.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cotenant.interference.InterferenceFile;
import dev.cotenant.interference.InterferenceMatrix;
import dev.cotenant.profiler.config.ProfilerConfig;
import dev.cotenant.profiler.mapping.HeatmapSvg;
import dev.cotenant.profiler.service.ProfileService;
import dev.cotenant.service.http.HttpGuard;
import dev.cotenant.service.rest.StrictText;
import io.smallrye.common.annotation.Blocking;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The interference matrix: as a file, as a heatmap, and the import of a known one. */
@Path("/api/v1")
@Tag(name = "interference")
@SecurityRequirement(name = Roles.SCHEME)
public class InterferenceResource {
  public static final String SVG = "image/svg+xml";
  private static final Duration IMPORT_TIMEOUT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ProfileService service;
  private final ProfilerConfig config;

  public InterferenceResource(ProfileService service, ProfilerConfig config) {
    this.service = service;
    this.config = config;
  }

  /** Summary of an accepted import. */
  public record Imported(String device, int apps, int pairs) {}

  @GET
  @Path("interference")
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed({Roles.USER, Roles.ADMIN})
  @Operation(
      summary = "Everything the model believes, in the cotenant.interference/v1 format",
      description =
          "Measured pairs carry count and uncertainty; predicted pairs have predicted: true.")
  public String matrix() {
    StringWriter out = new StringWriter();
    try {
      InterferenceFile.write(service.model().toMatrix(config.device()), out);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return out.toString();
  }

  @GET
  @Path("interference.svg")
  @Produces(SVG)
  @RolesAllowed({Roles.USER, Roles.ADMIN})
  @Operation(summary = "Heatmap: row = app, column = co-tenant; predicted and incompatible marked")
  public String heatmap() {
    return HeatmapSvg.render(service.model().toMatrix(config.device()));
  }

  @PUT
  @Path("interference")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  @RolesAllowed(Roles.ADMIN)
  @Blocking
  @Operation(summary = "Import a known matrix; replaces the previous import")
  @APIResponse(responseCode = "400", description = "Not a valid file; names line and column")
  public Imported importMatrix(byte[] entity, @Context RoutingContext routing) {
    // Strict UTF-8 and no lone surrogates, as every Cotenant body (libs/service-common).
    String text = StrictText.decodeUtf8(HttpGuard.body(routing, entity));
    try {
      StrictText.illFormed(JSON.readTree(text))
          .ifPresent(
              pointer -> {
                throw new StrictText.IllFormedTextException(pointer);
              });
    } catch (JsonProcessingException e) {
      // Not JSON: the file parser below says where, by line and column.
    }
    InterferenceMatrix matrix = service.importMatrix(text).await().atMost(IMPORT_TIMEOUT);
    return new Imported(matrix.device(), matrix.apps().size(), matrix.pairs().size());
  }
}
