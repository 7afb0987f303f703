package dev.cotenant.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Receives what services send to a Zipkin server ({@code POST /api/v2/spans}, JSON v2) and keeps it
 * in memory, so a test can follow one trace across processes: the services export exactly as they
 * do to the real UI.
 */
public final class ZipkinCollector implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One span as Zipkin stores it. */
  public record Span(
      String traceId,
      String id,
      String parentId,
      String name,
      String kind,
      String service,
      Map<String, String> tags) {
    public String tag(String key) {
      return tags.getOrDefault(key, "");
    }
  }

  private final HttpServer server;
  private final List<Span> spans = new ArrayList<>();
  private int malformed;

  public ZipkinCollector() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/api/v2/spans", this::receive);
    server.start();
  }

  /** Where services send spans: give it as their Zipkin endpoint. */
  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v2/spans";
  }

  private void receive(HttpExchange exchange) throws IOException {
    // Senders compress by default (OpenTelemetry's Zipkin exporter does).
    boolean gzip =
        "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"));
    try (exchange;
        InputStream body =
            gzip
                ? new java.util.zip.GZIPInputStream(exchange.getRequestBody())
                : exchange.getRequestBody()) {
      if (!"POST".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      List<Span> received = new ArrayList<>();
      try {
        for (JsonNode s : JSON.readTree(body.readAllBytes())) {
          Map<String, String> tags = new java.util.HashMap<>();
          s.path("tags")
              .fields()
              .forEachRemaining(e -> tags.put(e.getKey(), e.getValue().asText()));
          received.add(
              new Span(
                  s.path("traceId").asText(),
                  s.path("id").asText(),
                  s.path("parentId").asText(""),
                  s.path("name").asText(),
                  s.path("kind").asText(""),
                  s.path("localEndpoint").path("serviceName").asText(""),
                  Map.copyOf(tags)));
        }
      } catch (IOException | RuntimeException e) {
        synchronized (this) {
          malformed++;
        }
        exchange.sendResponseHeaders(400, -1);
        return;
      }
      synchronized (this) {
        spans.addAll(received);
        notifyAll();
      }
      exchange.sendResponseHeaders(202, -1);
    }
  }

  public synchronized List<Span> spans() {
    return List.copyOf(spans);
  }

  /** Bodies that were not Zipkin JSON v2 (a test expects none). */
  public synchronized int malformed() {
    return malformed;
  }

  /** The first span matching, waiting for it up to the timeout. */
  public synchronized Optional<Span> await(Predicate<Span> match, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<Span> found = spans.stream().filter(match).findFirst();
      long left = deadline - System.nanoTime();
      if (found.isPresent() || left <= 0) {
        return found;
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
