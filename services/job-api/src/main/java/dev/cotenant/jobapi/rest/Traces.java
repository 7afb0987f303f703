package dev.cotenant.jobapi.rest;

import dev.cotenant.jobapi.service.TraceContext;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import java.util.Optional;
import java.util.regex.Pattern;

/** The W3C trace context to store with an outbox row. */
final class Traces {
  private static final Pattern TRACEPARENT =
      Pattern.compile("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");

  private Traces() {}

  /**
   * The current span when tracing is on; otherwise the caller's own {@code traceparent}, so a
   * client's trace still reaches the consumers when this service does not record spans.
   */
  static TraceContext current(String incomingTraceparent, String incomingTracestate) {
    SpanContext span = Span.current().getSpanContext();
    if (span.isValid()) {
      String traceparent =
          "00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getTraceFlags().asHex();
      String state =
          span.getTraceState().isEmpty()
              ? null
              : span.getTraceState().asMap().entrySet().stream()
                  .map(e -> e.getKey() + "=" + e.getValue())
                  .reduce((a, b) -> a + "," + b)
                  .orElse(null);
      return new TraceContext(Optional.of(traceparent), Optional.ofNullable(state));
    }
    if (incomingTraceparent != null && TRACEPARENT.matcher(incomingTraceparent).matches()) {
      return new TraceContext(
          Optional.of(incomingTraceparent), Optional.ofNullable(incomingTracestate));
    }
    return TraceContext.NONE;
  }
}
