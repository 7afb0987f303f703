package dev.cotenant.jobapi.rest;

import dev.cotenant.jobapi.service.IdempotencyConflictException;
import dev.cotenant.jobapi.service.InvalidJobException;
import dev.cotenant.jobapi.service.JobNotFoundException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error the API answers is an RFC 9457 {@code application/problem+json} body. */
public class ProblemMappers {
  private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

  @ServerExceptionMapper
  public Response invalid(InvalidJobException e) {
    return Problem.invalid(e.violations()).toResponse();
  }

  @ServerExceptionMapper
  public Response notFound(JobNotFoundException e) {
    return Problem.of(Response.Status.NOT_FOUND, e.getMessage()).toResponse();
  }

  @ServerExceptionMapper
  public Response conflict(IdempotencyConflictException e) {
    return new Problem(
            Problem.TYPE_BASE + "idempotency-key-reused",
            "Idempotency-Key reused",
            422,
            e.getMessage(),
            java.util.List.of())
        .toResponse();
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
    return Problem.of(Response.Status.FORBIDDEN, e.getMessage()).toResponse();
  }

  /** 404 for unknown paths, 405, 406, 413 and 415 keep their status and gain a problem body. */
  @ServerExceptionMapper
  public Response web(WebApplicationException e) {
    Response.StatusType status = e.getResponse().getStatusInfo();
    return Problem.of(status, e.getMessage()).toResponse();
  }

  @ServerExceptionMapper
  public Response unexpected(Exception e) {
    LOG.error("request failed", e);
    return Problem.of(Response.Status.INTERNAL_SERVER_ERROR, "internal error; see the log")
        .toResponse();
  }
}
