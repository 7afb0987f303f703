package dev.cotenant.service.tracing;

import io.opentelemetry.exporter.zipkin.ZipkinSpanExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import zipkin2.reporter.Encoding;
import zipkin2.reporter.SpanBytesEncoder;
import zipkin2.reporter.urlconnection.URLConnectionSender;

/**
 * Every service's spans go to a Zipkin server ({@code ./cotenant up} starts one; compose and
 * deploy/k8s run {@code openzipkin/zipkin}) in its JSON v2 format. Quarkus' OpenTelemetry takes
 * span exporters from CDI; OTLP is switched off in each service, since Zipkin does not accept it.
 * Only looked up when tracing is on ({@code quarkus.otel.sdk.disabled=false}).
 */
@Singleton
public class ZipkinExporter {
  @Produces
  @Singleton
  @Unremovable // found by Quarkus' CDI exporter provider through a programmatic lookup
  SpanExporter zipkin(
      @ConfigProperty(
              name = "cotenant.tracing.zipkin.endpoint",
              defaultValue = "http://127.0.0.1:9411/api/v2/spans")
          String endpoint) {
    return ZipkinSpanExporter.builder()
        .setEncoder(SpanBytesEncoder.JSON_V2)
        .setSender(
            URLConnectionSender.newBuilder().endpoint(endpoint).encoding(Encoding.JSON).build())
        .build();
  }
}
