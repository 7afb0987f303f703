package dev.cotenant.service.rest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * A method that consumes a body gets only the types it names, declared. Quarkus REST lets a request
 * without {@code Content-Type}, or with a wildcard such as {@code *}{@code /*}, match any
 * {@code @Consumes}, and ignores the charset; here those are 415, as is a charset other than UTF-8
 * (every Cotenant body is UTF-8 JSON).
 */
public class ContentTypeFilter {

  @ServerRequestFilter
  public Optional<Response> declaredType(ContainerRequestContext request, ResourceInfo resource) {
    Method method = resource.getResourceMethod();
    if (method == null) {
      return Optional.empty();
    }
    Consumes consumes = method.getAnnotation(Consumes.class);
    if (consumes == null) {
      consumes = resource.getResourceClass().getAnnotation(Consumes.class);
    }
    if (consumes == null) {
      return Optional.empty();
    }
    String header = request.getHeaderString(HttpHeaders.CONTENT_TYPE);
    String expected = String.join(", ", consumes.value());
    if (header == null || header.isBlank()) {
      return reject("Content-Type is required: " + expected);
    }
    MediaType type;
    try {
      type = MediaType.valueOf(header);
    } catch (IllegalArgumentException e) {
      return reject("not a media type; expected " + expected);
    }
    if (type.isWildcardType() || type.isWildcardSubtype()) {
      return reject("a wildcard is not a body's type; expected " + expected);
    }
    boolean named =
        Arrays.stream(consumes.value())
            .map(MediaType::valueOf)
            .anyMatch(
                t ->
                    t.getType().equalsIgnoreCase(type.getType())
                        && t.getSubtype().equalsIgnoreCase(type.getSubtype()));
    if (!named) {
      return reject("expected " + expected);
    }
    String charset = type.getParameters().get(MediaType.CHARSET_PARAMETER);
    if (charset != null && !charset.equalsIgnoreCase("utf-8")) {
      return reject("the body must be UTF-8, not " + charset);
    }
    return Optional.empty();
  }

  private static Optional<Response> reject(String message) {
    return Optional.of(
        Problem.of(Response.Status.UNSUPPORTED_MEDIA_TYPE, message)
            .withViolation(HttpHeaders.CONTENT_TYPE, message)
            .toResponse());
  }
}
