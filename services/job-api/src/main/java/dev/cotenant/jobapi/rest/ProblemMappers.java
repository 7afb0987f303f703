package dev.cotenant.jobapi.rest;

import dev.cotenant.jobapi.service.IdempotencyConflictException;
import dev.cotenant.jobapi.service.InvalidJobException;
import dev.cotenant.jobapi.service.JobNotFoundException;
import dev.cotenant.service.rest.CommonProblemMappers;
import dev.cotenant.service.rest.Problem;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The job API's own errors as RFC 9457 {@code application/problem+json} bodies; {@code violations}
 * names each invalid field of a request. The rest (401, 403, unknown paths, 405, 406, 413, 415,
 * 500) are {@link CommonProblemMappers}'.
 */
public class ProblemMappers {

  @ServerExceptionMapper
  public Response invalid(InvalidJobException e) {
    return Problem.typed(
            "invalid-request",
            "Invalid request",
            400,
            e.violations().size() + " field(s) are invalid")
        .with("violations", e.violations())
        .toResponse();
  }

  @ServerExceptionMapper
  public Response notFound(JobNotFoundException e) {
    return Problem.of(Response.Status.NOT_FOUND, e.getMessage()).toResponse();
  }

  @ServerExceptionMapper
  public Response conflict(IdempotencyConflictException e) {
    return Problem.typed("idempotency-key-reused", "Idempotency-Key reused", 422, e.getMessage())
        .toResponse();
  }
}
