package dev.cotenant.jobapi.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A server-sent events client for tests: reads the stream in the background into a queue. */
public final class SseClient implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** One event as received. */
  public record Event(String id, String type, String data) {}

  private final HttpResponse<Stream<String>> response;
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final CompletableFuture<Void> reader;

  private SseClient(HttpResponse<Stream<String>> response) {
    this.response = response;
    this.reader = CompletableFuture.runAsync(this::read);
  }

  /** Opens {@code url}; {@code token} and {@code lastEventId} may be null. */
  public static SseClient open(URI url, String token, String lastEventId) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(url).header("Accept", "text/event-stream").GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    return new SseClient(
        HTTP.sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines())
            .get(10, TimeUnit.SECONDS));
  }

  public int status() {
    return response.statusCode();
  }

  public String contentType() {
    return response.headers().firstValue("Content-Type").orElse("");
  }

  /** The next {@code n} events; fails if they do not come within {@code timeout}. */
  public List<Event> next(int n, Duration timeout) throws InterruptedException {
    List<Event> got = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (got.size() < n) {
      Event e = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (e == null) {
        throw new AssertionError("got " + got.size() + " of " + n + " events: " + got);
      }
      got.add(e);
    }
    return got;
  }

  /** Whatever arrives within {@code quiet}: to show that nothing more comes. */
  public List<Event> drain(Duration quiet) throws InterruptedException {
    List<Event> got = new ArrayList<>();
    Event e;
    while ((e = events.poll(quiet.toMillis(), TimeUnit.MILLISECONDS)) != null) {
      got.add(e);
    }
    return got;
  }

  private void read() {
    String id = null;
    String type = null;
    StringBuilder data = new StringBuilder();
    try (Stream<String> lines = response.body()) {
      for (String line : (Iterable<String>) lines::iterator) {
        if (line.isEmpty()) {
          if (!data.isEmpty()) {
            events.add(new Event(id, type, data.toString()));
          }
          id = null;
          type = null;
          data.setLength(0);
        } else if (line.startsWith("id:")) {
          id = line.substring(3).trim();
        } else if (line.startsWith("event:")) {
          type = line.substring(6).trim();
        } else if (line.startsWith("data:")) {
          if (!data.isEmpty()) {
            data.append('\n');
          }
          data.append(line.substring(5).stripLeading());
        }
      }
    } catch (RuntimeException e) {
      // closed by the test
    }
  }

  @Override
  public void close() {
    reader.cancel(true);
    try {
      response.body().close();
    } catch (RuntimeException e) {
      // already closed
    }
  }
}
