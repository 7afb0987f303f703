package dev.cotenant.monitor.service;

import dev.cotenant.events.GpuRef;
import dev.cotenant.events.JobEvent;
import dev.cotenant.events.PodFinished;
import dev.cotenant.events.PodStarted;
import dev.cotenant.monitor.lifecycle.LifecycleTracker;
import dev.cotenant.monitor.messaging.EventPublisher;
import dev.cotenant.service.tracing.SpanAttributes;
import dev.cotenant.service.tracing.TraceHeaders;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import java.util.List;
import java.util.StringJoiner;

/**
 * Publishes each lifecycle event inside a span of its own ({@value #STARTED}, {@value #FINISHED}),
 * a child of the placement that created the pod (its {@code cotenant.dev/traceparent} annotation),
 * and sends the span's context on with the record, so the profiler's learning joins the job's
 * trace. A pod without the annotation (a foreign pod) starts a trace of its own.
 */
final class LifecycleSpans implements LifecycleTracker.Sink {
  static final String STARTED = "monitor.pod-started";
  static final String FINISHED = "monitor.pod-finished";

  private final Tracer tracer;
  private final EventPublisher publisher;

  LifecycleSpans(Tracer tracer, EventPublisher publisher) {
    this.tracer = tracer;
    this.publisher = publisher;
  }

  @Override
  public void emit(JobEvent event, String traceparent) {
    TraceHeaders parent = TraceHeaders.of(traceparent, null);
    Span span =
        tracer
            .spanBuilder(event instanceof PodFinished ? FINISHED : STARTED)
            .setParent(parent.context())
            .setSpanKind(SpanKind.PRODUCER)
            .setAttribute(SpanAttributes.JOB_ID, event.jobId())
            .setAttribute(SpanAttributes.TENANT, event.tenant())
            .startSpan();
    if (event instanceof PodStarted s) {
      describe(span, s.pod(), s.app(), s.node(), s.gpus());
    } else if (event instanceof PodFinished f) {
      describe(span, f.pod(), f.app(), f.node(), f.gpus());
      span.setAttribute(SpanAttributes.OUTCOME, f.outcome().name());
      if (f.outcome() != PodFinished.Outcome.SUCCEEDED) {
        span.setStatus(StatusCode.ERROR, f.outcome().name());
      }
    }
    try {
      publisher.publish(event, TraceHeaders.of(span).or(parent));
    } finally {
      span.end();
    }
  }

  private static void describe(Span span, String pod, String app, String node, List<GpuRef> gpus) {
    StringJoiner cards = new StringJoiner(",");
    StringJoiner uuids = new StringJoiner(",");
    for (GpuRef g : gpus) {
      cards.add(node + "/" + g.index());
      uuids.add(g.uuid());
    }
    span.setAttribute(SpanAttributes.POD, pod)
        .setAttribute(SpanAttributes.APP, app)
        .setAttribute(SpanAttributes.NODE, node)
        .setAttribute(SpanAttributes.GPU, cards.toString())
        .setAttribute(SpanAttributes.GPU_UUID, uuids.toString());
  }
}
