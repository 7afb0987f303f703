package dev.cotenant.service.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The W3C trace context of a job as it travels between the services: on Kafka records (headers
 * {@code traceparent}, {@code tracestate}) and on the pods placement creates (annotation {@code
 * PodKeys.TRACEPARENT}), so a job's spans form one trace although the services never call each
 * other. Formatting and parsing are OpenTelemetry's W3C propagator's; a malformed value reads as
 * none.
 */
public record TraceHeaders(Optional<String> traceparent, Optional<String> tracestate) {
  public static final String TRACEPARENT = "traceparent";
  public static final String TRACESTATE = "tracestate";

  public static final TraceHeaders NONE = new TraceHeaders(Optional.empty(), Optional.empty());

  private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();

  private static final TextMapGetter<Map<String, String>> MAP_GETTER =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
          return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
          return carrier == null ? null : carrier.get(key);
        }
      };

  /** The trace context of a Kafka record. */
  public static TraceHeaders of(Headers headers) {
    return of(read(headers, TRACEPARENT), read(headers, TRACESTATE));
  }

  /** A traceparent as stored elsewhere (a pod annotation, an outbox row); null or blank: none. */
  public static TraceHeaders of(String traceparent, String tracestate) {
    return new TraceHeaders(nonBlank(traceparent), nonBlank(tracestate)).validated();
  }

  /** The context of a span, to send on; a span that is not valid (tracing off) gives none. */
  public static TraceHeaders of(Span span) {
    if (!span.getSpanContext().isValid()) {
      return NONE;
    }
    Map<String, String> carrier = new HashMap<>(2);
    W3C.inject(Context.root().with(span), carrier, Map::put);
    return new TraceHeaders(
        Optional.ofNullable(carrier.get(TRACEPARENT)),
        Optional.ofNullable(carrier.get(TRACESTATE)));
  }

  /**
   * This context, or {@code other} when this has none: a span's own context when tracing is on,
   * else the one it was handed (so a context passes through a service that records nothing).
   */
  public TraceHeaders or(TraceHeaders other) {
    return traceparent.isPresent() ? this : other;
  }

  /** The parent context for a span continuing this trace; the root context when there is none. */
  public Context context() {
    if (traceparent.isEmpty()) {
      return Context.root();
    }
    Map<String, String> carrier = new HashMap<>(2);
    carrier.put(TRACEPARENT, traceparent.get());
    tracestate.ifPresent(t -> carrier.put(TRACESTATE, t));
    return W3C.extract(Context.root(), carrier, MAP_GETTER);
  }

  /** Adds the headers to a record about to be sent (nothing when there is no context). */
  public void addTo(Headers headers) {
    traceparent.ifPresent(t -> headers.add(TRACEPARENT, t.getBytes(StandardCharsets.US_ASCII)));
    tracestate.ifPresent(t -> headers.add(TRACESTATE, t.getBytes(StandardCharsets.US_ASCII)));
  }

  /** The headers as a list of name/value pairs, for record types built from a list. */
  public List<Map.Entry<String, String>> entries() {
    List<Map.Entry<String, String>> out = new java.util.ArrayList<>(2);
    traceparent.ifPresent(t -> out.add(Map.entry(TRACEPARENT, t)));
    tracestate.ifPresent(t -> out.add(Map.entry(TRACESTATE, t)));
    return out;
  }

  private TraceHeaders validated() {
    if (traceparent.isEmpty()) {
      return NONE;
    }
    return Span.fromContext(context()).getSpanContext().isValid() ? this : NONE;
  }

  private static String read(Headers headers, String name) {
    Header header = headers == null ? null : headers.lastHeader(name);
    return header == null || header.value() == null
        ? null
        : new String(header.value(), StandardCharsets.US_ASCII);
  }

  private static Optional<String> nonBlank(String value) {
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }
}
