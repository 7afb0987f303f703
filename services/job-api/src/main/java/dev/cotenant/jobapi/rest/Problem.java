package dev.cotenant.jobapi.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.cotenant.jobapi.service.Violation;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** An RFC 9457 problem detail; {@code violations} names each invalid field of a request. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(
    String type, String title, int status, String detail, List<Violation> violations) {
  public static final String MEDIA_TYPE = "application/problem+json";
  static final String TYPE_BASE = "https://cotenant.dev/problems/";

  public static Problem of(Response.StatusType status, String detail) {
    return new Problem(
        "about:blank", status.getReasonPhrase(), status.getStatusCode(), detail, List.of());
  }

  public static Problem invalid(List<Violation> violations) {
    return new Problem(
        TYPE_BASE + "invalid-request",
        "Invalid request",
        400,
        violations.size() + " field(s) are invalid",
        violations);
  }

  public Response toResponse() {
    return Response.status(status).type(MediaType.valueOf(MEDIA_TYPE)).entity(this).build();
  }
}
