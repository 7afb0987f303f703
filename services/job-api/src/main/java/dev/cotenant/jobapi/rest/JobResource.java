package dev.cotenant.jobapi.rest;

import dev.cotenant.jobapi.config.JobLimitsConfig;
import dev.cotenant.jobapi.mapping.JobMapper;
import dev.cotenant.jobapi.messaging.OutboxRelay;
import dev.cotenant.jobapi.repository.JobEntity;
import dev.cotenant.jobapi.repository.JobRepository;
import dev.cotenant.jobapi.service.Caller;
import dev.cotenant.jobapi.service.EventStreams;
import dev.cotenant.jobapi.service.InvalidJobException;
import dev.cotenant.jobapi.service.JobService;
import dev.cotenant.jobapi.service.JobStatus;
import dev.cotenant.jobapi.service.JobValidator;
import dev.cotenant.jobapi.service.TraceContext;
import dev.cotenant.service.http.HttpGuard;
import dev.cotenant.service.rest.RunToCompletion;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The job API: submit, read, list and cancel the jobs of the caller's tenant. */
@Path(JobResource.PATH)
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({CallerFactory.USER, CallerFactory.ADMIN})
@Tag(name = "jobs")
@SecurityScheme(
    securitySchemeName = "jwt",
    type = SecuritySchemeType.HTTP,
    scheme = "bearer",
    bearerFormat = "JWT")
@SecurityRequirement(name = "jwt")
public class JobResource {
  public static final String PATH = "/api/v1/jobs";
  public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
  public static final String REPLAYED = "Idempotent-Replayed";
  private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");

  private final JobService service;
  private final CallerFactory callers;
  private final OutboxRelay relay;
  private final JobLimitsConfig limits;
  private final JobValidator validator;
  private final EventStreams streams;

  public JobResource(
      JobService service,
      CallerFactory callers,
      OutboxRelay relay,
      JobLimitsConfig limits,
      EventStreams streams) {
    this.service = service;
    this.streams = streams;
    this.callers = callers;
    this.relay = relay;
    this.limits = limits;
    this.validator = new JobValidator(limits);
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(summary = "Submit a job; 202 with the stored job, status SUBMITTED")
  @RequestBody(content = @Content(schema = @Schema(implementation = JobRequest.class)))
  @APIResponse(responseCode = "202", description = "Accepted; Location names the job")
  @APIResponse(responseCode = "400", description = "Invalid job: problem+json with violations")
  @APIResponse(responseCode = "422", description = "Idempotency-Key reused with another body")
  public Uni<Response> submit(
      byte[] entity,
      @Context RoutingContext routing,
      @Context HttpServerRequest request,
      @HeaderParam("traceparent") String traceparent,
      @HeaderParam("tracestate") String tracestate) {
    Caller caller = callers.caller();
    Optional<String> key = idempotencyKey(request.headers().getAll(IDEMPOTENCY_KEY));
    var spec = validator.validate(HttpGuard.body(routing, entity));
    TraceContext trace = Traces.current(traceparent, tracestate);
    // Runs to its end even if the client leaves: a whole job with its outbox row, or nothing.
    return RunToCompletion.of(
            service
                .submit(caller, spec, key, trace)
                // A concurrent twin with the same key won the unique index: answer with its job.
                .onFailure(e -> key.isPresent() && isUniqueViolation(e))
                .recoverWithUni(() -> service.submit(caller, spec, key, trace))
                .invoke(relay::wake))
        .map(
            submission ->
                Response.accepted(JobMapper.view(submission.job()))
                    .location(URI.create(PATH + "/" + submission.job().id))
                    .header(REPLAYED, submission.replayed() ? "true" : null)
                    .build());
  }

  @GET
  @Path("/{id}")
  @Operation(summary = "One job of the caller's tenant (404 for any other)")
  public Uni<JobView> get(@PathParam("id") String id) {
    return service.get(callers.caller(), id).map(JobMapper::view);
  }

  @GET
  @Operation(summary = "The caller's jobs, newest first, cursor-paginated")
  public Uni<JobPage> list(
      @QueryParam("status") String status,
      @QueryParam("limit") String limit,
      @QueryParam("cursor") String cursor) {
    Caller caller = callers.caller();
    int size = pageSize(limit);
    Optional<JobStatus> wanted = status(status);
    Optional<JobRepository.Cursor> after = Optional.ofNullable(cursor).map(JobResource::cursor);
    return service
        .page(caller, wanted, after, size)
        .map(
            rows -> {
              List<JobEntity> page = rows.size() > size ? rows.subList(0, size) : rows;
              String next = rows.size() > size ? cursor(page.get(page.size() - 1)) : null;
              return new JobPage(page.stream().map(JobMapper::view).toList(), next);
            });
  }

  @POST
  @Path("/{id}/cancel")
  @Operation(summary = "Ask placement to cancel the job; asking again changes nothing")
  @APIResponse(responseCode = "202", description = "Cancel requested")
  public Uni<Response> cancel(
      @PathParam("id") String id,
      @HeaderParam("traceparent") String traceparent,
      @HeaderParam("tracestate") String tracestate) {
    return RunToCompletion.of(
            service
                .cancel(callers.caller(), id, Traces.current(traceparent, tracestate))
                .invoke(relay::wake))
        .map(job -> Response.accepted(JobMapper.view(job)).build());
  }

  @GET
  @Path("/{id}/events")
  @Produces(MediaType.SERVER_SENT_EVENTS)
  // On a worker thread: the job is looked up (blocking) before the SSE headers go out, so a
  // missing or hidden job is a 404 problem; a failure inside the stream would come too late.
  @Blocking
  @Operation(
      summary =
          "The job's events as server-sent events: its history, then live (404 for another"
              + " tenant's job); resumes after Last-Event-ID")
  public Multi<OutboundSseEvent> events(
      @PathParam("id") String id,
      @HeaderParam(SseEvents.LAST_EVENT_ID) String lastEventId,
      @Context Sse sse) {
    long after = SseEvents.resumeAfter(lastEventId);
    return streams.ofJob(callers.caller(), id, after).map(event -> SseEvents.of(sse, event));
  }

  /**
   * The key, if the header is sent. Sent, it must be one key of visible ASCII: an empty value is a
   * mistake rather than "no key", which would silently make a retry a second job.
   */
  static Optional<String> idempotencyKey(List<String> values) {
    if (values.isEmpty()) {
      return Optional.empty();
    }
    if (values.size() > 1 || !KEY.matcher(values.get(0)).matches()) {
      throw new InvalidJobException(
          IDEMPOTENCY_KEY, "one key of 1 to 255 visible ASCII characters (a UUID is a good key)");
    }
    return Optional.of(values.get(0));
  }

  private int pageSize(String limit) {
    if (limit == null) {
      return limits.defaultPageSize();
    }
    try {
      int size = Integer.parseInt(limit);
      if (size >= 1 && size <= limits.maxPageSize()) {
        return size;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new InvalidJobException("limit", "must be between 1 and " + limits.maxPageSize());
  }

  private static Optional<JobStatus> status(String status) {
    if (status == null || status.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(JobStatus.valueOf(status.toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      throw new InvalidJobException("status", "one of " + List.of(JobStatus.values()));
    }
  }

  /** An opaque cursor: the (createdAt, id) of the last job of the page. */
  static String cursor(JobEntity last) {
    long micros = last.createdAt.getEpochSecond() * 1_000_000L + last.createdAt.getNano() / 1_000;
    String plain = micros + ":" + last.id;
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(plain.getBytes(StandardCharsets.UTF_8));
  }

  static JobRepository.Cursor cursor(String token) {
    try {
      String plain = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      int colon = plain.indexOf(':');
      long micros = Long.parseLong(plain.substring(0, colon));
      Instant at = Instant.EPOCH.plusNanos(Math.multiplyExact(micros, 1_000L));
      return new JobRepository.Cursor(at, UUID.fromString(plain.substring(colon + 1)));
    } catch (RuntimeException e) {
      throw new InvalidJobException("cursor", "not a cursor this API returned");
    }
  }

  private static boolean isUniqueViolation(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (String.valueOf(t.getMessage()).contains("23505")) {
        return true;
      }
    }
    return false;
  }
}
