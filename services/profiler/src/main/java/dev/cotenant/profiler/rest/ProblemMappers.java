package dev.cotenant.profiler.rest;

import dev.cotenant.interference.InterferenceFormatException;
import dev.cotenant.service.rest.CommonProblemMappers;
import dev.cotenant.service.rest.Problem;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The profiler's own errors as {@code application/problem+json} bodies; a rejected interference
 * file also says where ({@code line}, {@code column}, 1-based). The rest (401, 403, unknown paths,
 * 405, 406, 415, 500) are {@link CommonProblemMappers}'.
 */
public class ProblemMappers {

  @ServerExceptionMapper
  public Response badFile(InterferenceFormatException e) {
    String message = e.getMessage();
    String reason = message.substring(message.indexOf(": ") + 2);
    return Problem.typed(
            "invalid-interference-file",
            "Invalid interference file",
            400,
            "line " + e.line() + ", column " + e.column() + ": " + reason)
        .with("line", e.line())
        .with("column", e.column())
        .toResponse();
  }

  @ServerExceptionMapper
  public Response unknownApp(UnknownAppException e) {
    return Problem.of(Response.Status.NOT_FOUND, e.getMessage()).toResponse();
  }
}
