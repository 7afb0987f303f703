package dev.cotenant.placement.service;

import dev.cotenant.events.JobSubmitted;
import dev.cotenant.placement.model.Decision;
import dev.cotenant.placement.model.GpuSlot;
import dev.cotenant.placement.model.PodPlacement;
import dev.cotenant.service.tracing.SpanAttributes;
import dev.cotenant.service.tracing.TraceHeaders;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The spans of a job's way through placement: {@value #SCHEDULE} from the submission's arrival to
 * its last pod bound (a child of job-api's span when the submission carried its context), with
 * {@value #CREATE} and {@value #BIND} for the Kubernetes writes under it.
 */
final class JobSpans {
  static final String SCHEDULE = "placement.schedule";
  static final String CREATE = "kubernetes.create-pods";
  static final String BIND = "kubernetes.bind";

  private JobSpans() {}

  static Span schedule(Tracer tracer, JobSubmitted s, TraceHeaders parent) {
    return tracer
        .spanBuilder(SCHEDULE)
        .setParent(parent.context())
        .setSpanKind(SpanKind.CONSUMER)
        .setAttribute(SpanAttributes.JOB_ID, s.jobId())
        .setAttribute(SpanAttributes.TENANT, s.tenant())
        .setAttribute(SpanAttributes.APP, s.spec().app())
        .startSpan();
  }

  static void placed(Span span, Decision d) {
    Set<String> nodes = new LinkedHashSet<>();
    StringJoiner gpus = new StringJoiner(",");
    StringJoiner uuids = new StringJoiner(",");
    for (PodPlacement p : d.placements()) {
      nodes.add(p.node());
      for (GpuSlot g : p.gpus()) {
        gpus.add(p.node() + "/" + g.index());
        uuids.add(g.uuid());
      }
    }
    span.setAttribute(SpanAttributes.POLICY, d.policy())
        .setAttribute(SpanAttributes.NODE, String.join(",", nodes))
        .setAttribute(SpanAttributes.GPU, gpus.toString())
        .setAttribute(SpanAttributes.GPU_UUID, uuids.toString())
        .setAttribute(SpanAttributes.PODS, (long) d.placements().size())
        .addEvent("placed");
  }

  /** A Kubernetes write of the job, under its schedule span. */
  static Span write(Tracer tracer, String name, Span schedule, String namespace, int pods) {
    return tracer
        .spanBuilder(name)
        .setParent(Context.root().with(schedule))
        .setSpanKind(SpanKind.CLIENT)
        .setAttribute(SpanAttributes.NAMESPACE, namespace)
        .setAttribute(SpanAttributes.PODS, (long) pods)
        .startSpan();
  }

  static void fail(Span span, String reason, Throwable error) {
    if (error != null) {
      span.recordException(error);
    }
    span.setStatus(StatusCode.ERROR, reason);
  }
}
