package dev.cotenant.profiler.rest;

import dev.cotenant.interference.InterferenceFormatException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error the profiler's API answers is an {@code application/problem+json} body. */
public class ProblemMappers {
  private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

  @ServerExceptionMapper
  public Response badFile(InterferenceFormatException e) {
    String where = "line " + e.line() + ", column " + e.column();
    String message = e.getMessage();
    String reason = message.substring(message.indexOf(": ") + 2);
    return new Problem(
            "https://cotenant.dev/problems/invalid-interference-file",
            "Invalid interference file",
            400,
            where + ": " + reason,
            e.line(),
            e.column())
        .toResponse();
  }

  @ServerExceptionMapper
  public Response unknownApp(UnknownAppException e) {
    return Problem.of(Response.Status.NOT_FOUND, e.getMessage()).toResponse();
  }

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

  @ServerExceptionMapper
  public Response forbidden(ForbiddenException e) {
    return Problem.of(Response.Status.FORBIDDEN, "this needs the admin role").toResponse();
  }

  /** Unknown paths, 405, 406 and 415 keep their status and gain a problem body. */
  @ServerExceptionMapper
  public Response web(WebApplicationException e) {
    return Problem.of(e.getResponse().getStatusInfo(), e.getMessage()).toResponse();
  }

  @ServerExceptionMapper
  public Response unexpected(Exception e) {
    LOG.error("request failed", e);
    return Problem.of(Response.Status.INTERNAL_SERVER_ERROR, "internal error; see the log")
        .toResponse();
  }
}
