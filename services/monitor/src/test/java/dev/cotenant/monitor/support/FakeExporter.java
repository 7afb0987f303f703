package dev.cotenant.monitor.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/** A dcgm-exporter stand-in: serves whatever text the test sets at {@code /metrics}. */
public final class FakeExporter implements AutoCloseable {
  private final HttpServer server;
  private final AtomicReference<String> body = new AtomicReference<>("");
  private final AtomicBoolean stopped = new AtomicBoolean();

  private FakeExporter(HttpServer server) {
    this.server = server;
  }

  public static FakeExporter start(int port) {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
      FakeExporter exporter = new FakeExporter(server);
      server.createContext(
          "/metrics",
          exchange -> {
            byte[] bytes = exporter.body.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(bytes);
            }
          });
      server.start();
      return exporter;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void serve(String text) {
    body.set(text);
  }

  /** The exporter dies: connections are refused from now on. */
  @Override
  public void close() {
    if (stopped.compareAndSet(false, true)) {
      server.stop(0);
    }
  }
}
