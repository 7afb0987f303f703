package dev.cotenant.service.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class TraceHeadersTest {
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String PARENT = "00f067aa0ba902b7";
  private static final String TRACEPARENT = "00-" + TRACE + "-" + PARENT + "-01";

  @Test
  void aRecordsHeadersBecomeTheParentOfTheNextSpan() {
    RecordHeaders headers = new RecordHeaders();
    headers.add("traceparent", TRACEPARENT.getBytes(StandardCharsets.US_ASCII));
    headers.add("tracestate", "vendor=x".getBytes(StandardCharsets.US_ASCII));
    TraceHeaders trace = TraceHeaders.of(headers);
    SpanContext parent = Span.fromContext(trace.context()).getSpanContext();
    assertThat(parent.isValid()).isTrue();
    assertThat(parent.isRemote()).isTrue();
    assertThat(parent.getTraceId()).isEqualTo(TRACE);
    assertThat(parent.getSpanId()).isEqualTo(PARENT);
    assertThat(parent.getTraceState().get("vendor")).isEqualTo("x");
  }

  @Test
  void aSpanIsSentOnAsItsOwnTraceparent() {
    Span span =
        Span.wrap(
            SpanContext.create(TRACE, PARENT, TraceFlags.getSampled(), TraceState.getDefault()));
    TraceHeaders trace = TraceHeaders.of(span);
    assertThat(trace.traceparent()).contains(TRACEPARENT);
    RecordHeaders headers = new RecordHeaders();
    trace.addTo(headers);
    assertThat(new String(headers.lastHeader("traceparent").value(), StandardCharsets.US_ASCII))
        .isEqualTo(TRACEPARENT);
    assertThat(headers.lastHeader("tracestate")).isNull();
  }

  @Test
  void noContextMeansNoHeadersAndARootParent() {
    assertThat(TraceHeaders.of(Span.getInvalid())).isEqualTo(TraceHeaders.NONE);
    assertThat(TraceHeaders.of(new RecordHeaders())).isEqualTo(TraceHeaders.NONE);
    assertThat(Span.fromContext(TraceHeaders.NONE.context()).getSpanContext().isValid()).isFalse();
    RecordHeaders headers = new RecordHeaders();
    TraceHeaders.NONE.addTo(headers);
    assertThat(headers.toArray()).isEmpty();
  }

  @Test
  void malformedOrBlankValuesReadAsNone() {
    assertThat(TraceHeaders.of("", null)).isEqualTo(TraceHeaders.NONE);
    assertThat(TraceHeaders.of(null, null)).isEqualTo(TraceHeaders.NONE);
    assertThat(TraceHeaders.of("00-xyz-" + PARENT + "-01", null)).isEqualTo(TraceHeaders.NONE);
    assertThat(TraceHeaders.of("00-" + "0".repeat(32) + "-" + PARENT + "-01", null))
        .isEqualTo(TraceHeaders.NONE);
    assertThat(TraceHeaders.of(TRACEPARENT, null).traceparent())
        .isEqualTo(Optional.of(TRACEPARENT));
  }
}
