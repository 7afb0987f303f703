package dev.cotenant.jobapi.service;

import java.util.Optional;

/** The W3C trace context of a request, kept with an outbox row so the relay can send it on. */
public record TraceContext(Optional<String> traceparent, Optional<String> tracestate) {
  public static final TraceContext NONE = new TraceContext(Optional.empty(), Optional.empty());
}
