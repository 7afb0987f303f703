package dev.cotenant.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BindingHandlerTest {
  private static KubernetesApiServer server;
  private static KubernetesClient client;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    server = KubernetesApiServer.startEphemeral();
    client = server.client();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void bindSetsNodeNameAndPodScheduledThenRebindConflicts() throws Exception {
    createPod("binding-a", "pod-1");
    String before =
        client
            .pods()
            .inNamespace("binding-a")
            .withName("pod-1")
            .get()
            .getMetadata()
            .getResourceVersion();

    HttpResponse<String> first = postBinding("binding-a", "pod-1", "seed001-gpu");
    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(first.body()).contains("\"status\":\"Success\"");

    Pod bound = client.pods().inNamespace("binding-a").withName("pod-1").get();
    assertThat(bound.getSpec().getNodeName()).isEqualTo("seed001-gpu");
    assertThat(bound.getStatus().getConditions())
        .anySatisfy(
            c -> {
              assertThat(c.getType()).isEqualTo("PodScheduled");
              assertThat(c.getStatus()).isEqualTo("True");
            });
    assertThat(bound.getMetadata().getResourceVersion()).isNotEqualTo(before);

    HttpResponse<String> again = postBinding("binding-a", "pod-1", "seed000-worker");
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(again.body()).contains("already assigned to node \\\"seed001-gpu\\\"");
    assertThat(
            client.pods().inNamespace("binding-a").withName("pod-1").get().getSpec().getNodeName())
        .isEqualTo("seed001-gpu");
  }

  @Test
  void bindsOnlyThePodInItsOwnNamespace() throws Exception {
    createPod("binding-e", "twin");
    createPod("binding-f", "twin");

    assertThat(postBinding("binding-e", "twin", "seed001-gpu").statusCode()).isEqualTo(201);

    assertThat(
            client.pods().inNamespace("binding-e").withName("twin").get().getSpec().getNodeName())
        .isEqualTo("seed001-gpu");
    assertThat(
            client.pods().inNamespace("binding-f").withName("twin").get().getSpec().getNodeName())
        .isNull();
    assertThat(postBinding("binding-f", "twin", "seed000-worker").statusCode()).isEqualTo(201);
    assertThat(postBinding("binding-g", "twin", "seed000-worker").statusCode()).isEqualTo(404);
  }

  @Test
  void unknownPodIsNotFound() throws Exception {
    HttpResponse<String> response = postBinding("binding-b", "nope", "seed001-gpu");
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).contains("\"reason\":\"NotFound\"");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "not json at all                                            | 400",
        "{\"target\":{\"kind\":\"Node\"}}                           | 400",
        "{\"target\":{\"kind\":\"Pod\",\"name\":\"seed001-gpu\"}}   | 400"
      })
  void malformedBindingsAreBadRequests(String body, int expected) throws Exception {
    createPod("binding-c", "pod-" + Math.abs(body.hashCode()));
    HttpResponse<String> response =
        post(
            "/api/v1/namespaces/binding-c/pods/pod-" + Math.abs(body.hashCode()) + "/binding",
            body);
    assertThat(response.statusCode()).isEqualTo(expected);
  }

  @Test
  void fabric8BindingsCollectionBindsToo() {
    createPod("binding-d", "pod-2");
    Binding binding =
        new BindingBuilder()
            .withNewMetadata()
            .withName("pod-2")
            .endMetadata()
            .withNewTarget()
            .withKind("Node")
            .withApiVersion("v1")
            .withName("seed000-worker")
            .endTarget()
            .build();
    client.bindings().inNamespace("binding-d").resource(binding).create();
    assertThat(
            client.pods().inNamespace("binding-d").withName("pod-2").get().getSpec().getNodeName())
        .isEqualTo("seed000-worker");

    try {
      client.bindings().inNamespace("binding-d").resource(binding).create();
      org.assertj.core.api.Assertions.fail("second bind must conflict");
    } catch (KubernetesClientException e) {
      assertThat(e.getCode()).isEqualTo(409);
    }
  }

  private void createPod(String namespace, String name) {
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .endMetadata()
            .withNewSpec()
            .withSchedulerName("cotenant")
            .addNewContainer()
            .withName("main")
            .withImage("busybox")
            .endContainer()
            .endSpec()
            .build();
    client.pods().inNamespace(namespace).resource(pod).create();
  }

  private HttpResponse<String> postBinding(String namespace, String pod, String node)
      throws Exception {
    String body =
        "{\"apiVersion\":\"v1\",\"kind\":\"Binding\",\"metadata\":{\"name\":\""
            + pod
            + "\"},\"target\":{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"name\":\""
            + node
            + "\"}}";
    return post("/api/v1/namespaces/" + namespace + "/pods/" + pod + "/binding", body);
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(server.url() + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
