package dev.cotenant.service.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cotenant.service.rest.Problem;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.HttpException;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The HTTP layer of every Cotenant service, before any REST resource: framing and header rules, the
 * body limit, a deadline for the body, and {@code application/problem+json} for every error the
 * router produces. A Quarkus service gets it by depending on this module.
 *
 * <ul>
 *   <li>HTTP/1.1 without exactly one {@code Host}: 400 (RFC 9112 §3.2).
 *   <li>{@code Transfer-Encoding} other than a lone {@code chunked}: 400 and the connection closed
 *       (RFC 9112 §6.1; Netty takes {@code chunked, identity} and ignores {@code xchunked}).
 *   <li>A body over {@code quarkus.http.limits.max-body-size}: 413, whether announced by {@code
 *       Content-Length} or found while reading a chunked body; the connection is closed.
 *   <li>A body not complete {@code cotenant.http.body-timeout} after the headers: 408, closed.
 *   <li>A request target that is not a URI (bad percent-encoding, in the path or the query): 400
 *       naming {@code request-target} (Quarkus' own check, which answers with an empty body, is
 *       switched off by {@link dev.cotenant.service.CotenantMain}).
 *   <li>Any failure of the router (no route, an exception outside REST): a problem with its status;
 *       only a 5xx is logged with its stack trace.
 * </ul>
 */
@Singleton
public class HttpGuard {
  private static final Logger LOG = Logger.getLogger(HttpGuard.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final java.util.Set<HttpMethod> BODY_METHODS =
      java.util.Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH);
  private static final String HOST_RULE = "an HTTP/1.1 request names exactly one Host";

  /** The field a problem names for the request line's target (RFC 9112 §3.2). */
  static final String TARGET = "request-target";

  private final long maxBodyBytes;
  private final long bodyTimeoutMillis;

  HttpGuard(
      @ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<String> maxBodySize,
      @ConfigProperty(name = "cotenant.http.body-timeout", defaultValue = "10S")
          Duration bodyTimeout) {
    MemorySize size = new MemorySizeConverter().convert(maxBodySize.orElse("10240K"));
    this.maxBodyBytes = size.asLongValue();
    this.bodyTimeoutMillis = bodyTimeout.toMillis();
  }

  void install(@Observes Router router) {
    if (!Boolean.getBoolean(dev.cotenant.service.CotenantMain.DISABLE_URI_VALIDATION)) {
      LOG.warnf(
          "%s is not set (started without CotenantMain?): Quarkus answers a malformed request"
              + " target with an empty 400 before this guard sees it",
          dev.cotenant.service.CotenantMain.DISABLE_URI_VALIDATION);
    }
    router.route().order(RouteConstants.ROUTE_ORDER_HEADERS).handler(this::guard);
    // The whole body before any resource runs: a chunked body over the limit fails here with
    // 413, rather than in Quarkus REST's blocking stream, which logs it as an error.
    BodyHandler body = BodyHandler.create(false).setBodyLimit(maxBodyBytes);
    router
        .route()
        .order(RouteConstants.ROUTE_ORDER_BODY_HANDLER)
        // A request that has ended or says Content-Length: 0 has nothing to read: its body is
        // empty (the BodyHandler would wait for an end that has passed).
        .handler(
            ctx -> {
              HttpMethod method = ctx.request().method();
              String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
              if (!BODY_METHODS.contains(method) || ctx.request().version() == HttpVersion.HTTP_2) {
                // GET, HEAD, streams, and HTTP/2 (an h2c upgrade has consumed the request by
                // now; reading it again fails): read as Quarkus reads them, within its limit.
                ctx.next();
              } else if (length != null && declaredLength(length) == 0) {
                ctx.setBody(Buffer.buffer());
                ctx.next();
              } else if (ctx.request().isEnded()) {
                // Already read (an h2c upgrade carries its body): Quarkus REST has it, not us.
                ctx.next();
              } else {
                body.handle(ctx);
              }
            });
    router.route().order(RouteConstants.ROUTE_ORDER_HEADERS).failureHandler(this::failure);
    for (int status : List.of(400, 404, 405, 406, 413, 414, 415, 431, 500, 501)) {
      router.errorHandler(status, this::failure);
    }
  }

  /**
   * The body of a POST, PUT or PATCH as the guard read it, else {@code entity} (what Quarkus REST
   * read, for a request that had ended before the guard saw it). Behind this body handler, Quarkus
   * REST hands a body of more than one 8 KiB chunk to a {@code byte[]} parameter as zero bytes.
   */
  public static byte[] body(RoutingContext ctx, byte[] entity) {
    Buffer body = ctx.body().buffer();
    if (body != null) {
      return body.getBytes();
    }
    return entity == null ? new byte[0] : entity;
  }

  private static boolean hostMissing(HttpServerRequest request) {
    return request.version() == HttpVersion.HTTP_1_1
        && request.headers().getAll(HttpHeaders.HOST).size() != 1;
  }

  /** Why the request target is not a URI (a malformed percent-encoding, say), else empty. */
  static Optional<String> malformedTarget(String target) {
    try {
      new URI(target);
      return Optional.empty();
    } catch (URISyntaxException e) {
      return Optional.of("the request target is not a valid URI: " + e.getReason());
    }
  }

  private void guard(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    MultiMap headers = request.headers();
    Optional<String> badTarget = malformedTarget(request.uri());
    if (badTarget.isPresent()) {
      reject(ctx, 400, TARGET, badTarget.get());
      return;
    }
    if (hostMissing(request)) {
      reject(ctx, 400, "Host", HOST_RULE);
      return;
    }
    List<String> codings = headers.getAll(HttpHeaders.TRANSFER_ENCODING);
    if (!codings.isEmpty()
        && !(codings.size() == 1 && codings.get(0).trim().equalsIgnoreCase("chunked"))) {
      reject(ctx, 400, "Transfer-Encoding", "only chunked, alone, is understood");
      return;
    }
    String length = headers.get(HttpHeaders.CONTENT_LENGTH);
    if (length != null && declaredLength(length) > maxBodyBytes) {
      reject(ctx, 413, "", "the body is larger than " + maxBodyBytes + " bytes");
      return;
    }
    if (!request.isEnded()) {
      long timer =
          ctx.vertx()
              .setTimer(
                  bodyTimeoutMillis,
                  id -> {
                    if (!request.isEnded() && !ctx.response().ended()) {
                      reject(
                          ctx,
                          408,
                          "",
                          "the body did not arrive within " + bodyTimeoutMillis + " ms");
                    }
                  });
      ctx.addEndHandler(done -> ctx.vertx().cancelTimer(timer));
    }
    ctx.next();
  }

  /** Netty has checked that it is a number; a number past a long is simply too large. */
  private static long declaredLength(String length) {
    try {
      return Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }

  private void failure(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    if (response.ended()) {
      return;
    }
    if (response.headWritten()) {
      // Too late for a status (a stream was under way): end the exchange, never write twice.
      LOG.debugf(ctx.failure(), "request failed after its head was sent");
      close(ctx);
      return;
    }
    Throwable failure = ctx.failure();
    if (failure instanceof HttpClosedException) {
      // The client left (a load generator stopping, a cancelled upload): nobody to answer.
      LOG.debug("client closed the connection before its request was read");
      return;
    }
    int status = ctx.statusCode();
    if (failure instanceof HttpException http) {
      status = http.getStatusCode();
    } else if (failure instanceof AuthenticationFailedException
        || failure instanceof UnauthorizedException) {
      status = 401;
    } else if (failure instanceof ForbiddenException) {
      status = 403;
    }
    if (status < 400 || status > 599) {
      status = 500;
    }
    Optional<String> badTarget = malformedTarget(ctx.request().uri());
    if (badTarget.isPresent()) {
      // The router fails decoding such a path before the guard runs.
      reject(ctx, 400, TARGET, badTarget.get());
      return;
    }
    if (status >= 500) {
      LOG.error("request failed", failure);
      write(ctx, problem(status, "internal error; see the log"), false);
      return;
    }
    LOG.debugf(failure, "request refused with %d", status);
    Problem problem = problem(status, detail(status));
    if (status == 400 && hostMissing(ctx.request())) {
      // Vert.x refuses such a request itself, before the guard sees it.
      problem = problem(400, HOST_RULE).withViolation("Host", HOST_RULE);
    }
    if (status == 401) {
      response.putHeader("WWW-Authenticate", "Bearer");
    }
    // After a framing or size error the rest of the request cannot be trusted.
    write(ctx, problem, status == 400 || status == 413 || status == 431 || status == 414);
  }

  private static String detail(int status) {
    return switch (status) {
      case 400 -> "the request is malformed (its request line, path or headers)";
      case 401 -> "a valid bearer token is required (./cotenant token TENANT)";
      case 404 -> "nothing here";
      case 405 -> "this method is not allowed here";
      case 413 -> "the body is too large";
      default -> HttpResponseStatus.valueOf(status).reasonPhrase();
    };
  }

  private static Problem problem(int status, String detail) {
    return new Problem(
        "about:blank", HttpResponseStatus.valueOf(status).reasonPhrase(), status, detail, Map.of());
  }

  /** A client mistake the guard found: a problem naming the field, and the connection closed. */
  private static void reject(RoutingContext ctx, int status, String field, String message) {
    write(ctx, problem(status, message).withViolation(field, message), true);
  }

  private static void write(RoutingContext ctx, Problem problem, boolean close) {
    HttpServerResponse response = ctx.response();
    byte[] body;
    try {
      body = JSON.writeValueAsBytes(problem);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a Problem is always JSON", e);
    }
    boolean http1 = ctx.request().version() != HttpVersion.HTTP_2;
    response
        .setStatusCode(problem.status())
        .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
    if (close && http1) {
      response.putHeader(HttpHeaders.CONNECTION, "close");
    }
    response
        .end(Buffer.buffer(body))
        .onComplete(
            done -> {
              if (close && http1) {
                close(ctx);
              }
            });
  }

  private static void close(RoutingContext ctx) {
    if (ctx.request().version() != HttpVersion.HTTP_2) {
      ctx.request().connection().close();
    } else {
      ctx.response().reset();
    }
  }
}
