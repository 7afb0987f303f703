package dev.cotenant.service.rest;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An RFC 9457 problem detail. A problem type's own members (RFC 9457 §3.2: the invalid fields of a
 * request, the line of a rejected file) are {@code extensions}, written at the top level of the
 * body in the order they were added.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(
    String type,
    String title,
    int status,
    String detail,
    @JsonAnyGetter Map<String, Object> extensions) {
  public static final String MEDIA_TYPE = "application/problem+json";

  /** Where Cotenant's own problem types live: {@code TYPE_BASE + "invalid-request"}. */
  public static final String TYPE_BASE = "https://cotenant.dev/problems/";

  public Problem {
    extensions = Collections.unmodifiableMap(new LinkedHashMap<>(extensions));
  }

  /** A problem that is no more than its HTTP status ({@code about:blank}). */
  public static Problem of(Response.StatusType status, String detail) {
    return new Problem(
        "about:blank", status.getReasonPhrase(), status.getStatusCode(), detail, Map.of());
  }

  /** A problem type of Cotenant's own, {@code TYPE_BASE + name}. */
  public static Problem typed(String name, String title, int status, String detail) {
    return new Problem(TYPE_BASE + name, title, status, detail, Map.of());
  }

  /** This problem with one more member; {@code value} must not be null. */
  public Problem with(String member, Object value) {
    Map<String, Object> more = new LinkedHashMap<>(extensions);
    more.put(member, Objects.requireNonNull(value, member));
    return new Problem(type, title, status, detail, more);
  }

  /** This problem naming one invalid field or header in {@code violations}. */
  public Problem withViolation(String field, String message) {
    return with("violations", java.util.List.of(new FieldViolation(field, message)));
  }

  public Response toResponse() {
    return Response.status(status).type(MediaType.valueOf(MEDIA_TYPE)).entity(this).build();
  }
}
