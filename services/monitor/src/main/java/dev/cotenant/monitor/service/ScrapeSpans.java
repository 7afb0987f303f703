package dev.cotenant.monitor.service;

import dev.cotenant.events.GpuSample;
import dev.cotenant.monitor.messaging.EventPublisher;
import dev.cotenant.monitor.telemetry.ScrapeTarget;
import dev.cotenant.service.tracing.SpanAttributes;
import dev.cotenant.service.tracing.TraceHeaders;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import java.time.Instant;
import java.util.List;

/**
 * One span ({@value #SCRAPE}) per exporter page, from the scrape's start to its samples handed to
 * the producer, whose records carry its context: telemetry is traced like everything else the
 * services send, each page a trace of its own (no job caused it).
 */
final class ScrapeSpans implements DcgmScraper.PageSink {
  static final String SCRAPE = "monitor.scrape";
  private static final AttributeKey<String> URL = AttributeKey.stringKey("url.full");
  private static final AttributeKey<Long> SAMPLES = AttributeKey.longKey("cotenant.gpu.samples");

  private final Tracer tracer;
  private final EventPublisher publisher;

  ScrapeSpans(Tracer tracer, EventPublisher publisher) {
    this.tracer = tracer;
    this.publisher = publisher;
  }

  @Override
  public void publish(ScrapeTarget target, Instant scrapedAt, List<GpuSample> samples) {
    Span span =
        tracer
            .spanBuilder(SCRAPE)
            .setNoParent()
            .setSpanKind(SpanKind.PRODUCER)
            .setStartTimestamp(scrapedAt)
            .setAttribute(URL, target.url())
            .setAttribute(SpanAttributes.NODE, samples.get(0).node())
            .setAttribute(SAMPLES, (long) samples.size())
            .startSpan();
    try {
      TraceHeaders trace = TraceHeaders.of(span);
      for (GpuSample sample : samples) {
        publisher.publish(sample, trace);
      }
    } finally {
      span.end();
    }
  }
}
