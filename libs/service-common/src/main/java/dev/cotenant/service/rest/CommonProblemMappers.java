package dev.cotenant.service.rest;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The {@link Problem} answers every Cotenant API gives alike: 401 with a Bearer challenge, 403, the
 * status of any {@link WebApplicationException} (unknown path, 405, 406, 413, 415), and 500 for
 * anything unexpected, logged. Quarkus REST finds these in every service that depends on this
 * module; a service maps its own exceptions in its own class, and those, being more specific, win.
 * Errors before a request reaches REST (framing, headers, body size) are {@link
 * dev.cotenant.service.http.HttpGuard}'s, in the same form.
 */
public class CommonProblemMappers {
  private static final Logger LOG = Logger.getLogger(CommonProblemMappers.class);

  @ServerExceptionMapper({AuthenticationFailedException.class, UnauthorizedException.class})
  public Response unauthenticated(RuntimeException e) {
    return Response.fromResponse(
            Problem.of(
                    Response.Status.UNAUTHORIZED,
                    "a valid bearer token is required (./cotenant token TENANT)")
                .toResponse())
        .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
        .build();
  }

  /** A role check says nothing, so the detail is generic; a check of our own says why. */
  @ServerExceptionMapper
  public Response forbidden(ForbiddenException e) {
    String detail = e.getMessage() != null ? e.getMessage() : "the token's roles do not allow this";
    return Problem.of(Response.Status.FORBIDDEN, detail).toResponse();
  }

  /** 415 and 406 are about a header, so they name it as a field, like every other refusal. */
  @ServerExceptionMapper
  public Response web(WebApplicationException e) {
    Problem problem = Problem.of(e.getResponse().getStatusInfo(), e.getMessage());
    if (e instanceof NotSupportedException) {
      problem = problem.withViolation(HttpHeaders.CONTENT_TYPE, "not a type this endpoint reads");
    } else if (e instanceof NotAcceptableException) {
      problem = problem.withViolation(HttpHeaders.ACCEPT, "no type this endpoint writes");
    }
    return problem.toResponse();
  }

  /** A body that is not UTF-8 ({@link StrictText#decodeUtf8}): about the body as a whole. */
  @ServerExceptionMapper
  public Response notUtf8(StrictText.MalformedUtf8Exception e) {
    return Problem.of(Response.Status.BAD_REQUEST, e.getMessage())
        .withViolation("", e.getMessage())
        .toResponse();
  }

  @ServerExceptionMapper
  public Response illFormed(StrictText.IllFormedTextException e) {
    return Problem.of(Response.Status.BAD_REQUEST, e.field() + " " + e.getMessage())
        .withViolation(e.field(), e.getMessage())
        .toResponse();
  }

  @ServerExceptionMapper
  public Response unexpected(Exception e) {
    LOG.error("request failed", e);
    return Problem.of(Response.Status.INTERNAL_SERVER_ERROR, "internal error; see the log")
        .toResponse();
  }
}
