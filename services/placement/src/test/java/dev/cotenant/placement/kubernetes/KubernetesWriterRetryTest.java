package dev.cotenant.placement.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cotenant.placement.service.ClusterWriter.WriteException;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A create or bind whose answer never came in time is sent again, and the second send finds what
 * the first did (409) and takes it as done: an API server that stores the pod, then answers after
 * the client gave up.
 */
class KubernetesWriterRetryTest {
  private HttpServer server;
  private KubernetesClient client;
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private final AtomicReference<String> stored = new AtomicReference<>();

  /** Requests of each kind answered late before the server answers in time. */
  private final AtomicInteger lateCreates = new AtomicInteger();

  private final AtomicInteger lateBinds = new AtomicInteger();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/", this::answer);
    server.start();
    client =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder()
                    .withMasterUrl("http://127.0.0.1:" + server.getAddress().getPort())
                    .withAutoConfigure(false)
                    .withRequestTimeout(300)
                    .withRequestRetryBackoffLimit(0)
                    .build())
            .build();
  }

  @AfterEach
  void stop() {
    client.close();
    server.stop(0);
  }

  private void answer(HttpExchange x) throws IOException {
    String call = x.getRequestMethod() + " " + x.getRequestURI().getPath();
    calls.add(call);
    byte[] body = x.getRequestBody().readAllBytes();
    if (call.equals("POST /api/v1/namespaces/t1/pods")) {
      boolean first = stored.compareAndSet(null, new String(body, StandardCharsets.UTF_8));
      if (lateCreates.getAndDecrement() > 0) {
        sleep(); // stored, but the answer comes after the client stopped waiting
      }
      if (first) {
        send(x, 201, stored.get());
      } else {
        send(x, 409, status(409, "AlreadyExists"));
      }
    } else if (call.equals("GET /api/v1/namespaces/t1/pods/job-1-0")) {
      send(x, 200, stored.get());
    } else if (call.equals("POST /api/v1/namespaces/t1/pods/job-1-0/binding")) {
      if (lateBinds.getAndDecrement() > 0) {
        sleep();
      }
      send(x, 201, status(201, "Success"));
    } else {
      send(x, 404, status(404, "NotFound"));
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String status(int code, String reason) {
    return "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"code\":"
        + code
        + ",\"reason\":\""
        + reason
        + "\",\"message\":\""
        + reason
        + "\"}";
  }

  private static void send(HttpExchange x, int code, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().add("Content-Type", "application/json");
    try {
      x.sendResponseHeaders(code, bytes.length);
      x.getResponseBody().write(bytes);
    } catch (IOException gone) {
      // the client stopped waiting: what a late answer meets
    } finally {
      x.close();
    }
  }

  private static Pod pod() {
    return new PodBuilder()
        .withNewMetadata()
        .withName("job-1-0")
        .withNamespace("t1")
        .withLabels(Map.of(Names.JOB_LABEL, "job-1"))
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("main")
        .withImage("busybox")
        .endContainer()
        .endSpec()
        .build();
  }

  @Test
  void aCreateThatTimedOutIsSentAgainAndItsConflictIsOurPod() {
    lateCreates.set(1);
    new KubernetesWriter(client, new SimpleMeterRegistry()).createPod(pod());
    assertThat(calls)
        .containsExactly(
            "POST /api/v1/namespaces/t1/pods",
            "POST /api/v1/namespaces/t1/pods",
            "GET /api/v1/namespaces/t1/pods/job-1-0");
  }

  @Test
  void aBindThatTimedOutIsSentAgain() {
    lateBinds.set(2);
    new KubernetesWriter(client, new SimpleMeterRegistry()).bind("t1", "job-1-0", "n1");
    assertThat(calls).hasSize(3).allMatch(c -> c.endsWith("/binding"));
  }

  @Test
  void aWriteThatNeverGetsAnAnswerFailsAfterItsAttempts() {
    lateBinds.set(Integer.MAX_VALUE);
    KubernetesWriter writer = new KubernetesWriter(client, new SimpleMeterRegistry());
    assertThatThrownBy(() -> writer.bind("t1", "job-1-0", "n1"))
        .isInstanceOf(WriteException.class)
        .satisfies(e -> assertThat(((WriteException) e).code()).isZero());
    assertThat(calls).hasSize(KubernetesWriter.UNANSWERED_ATTEMPTS);
  }

  @Test
  void aRefusalIsNotSentAgain() {
    KubernetesWriter writer = new KubernetesWriter(client, new SimpleMeterRegistry());
    assertThatThrownBy(() -> writer.bind("t1", "other", "n1"))
        .isInstanceOf(WriteException.class)
        .satisfies(e -> assertThat(((WriteException) e).code()).isEqualTo(404));
    assertThat(calls).hasSize(1);
  }
}
