package dev.cotenant.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The indexed dispatcher must answer exactly as fabric8's own {@link KubernetesCrudDispatcher}: the
 * same scenario runs against both and the transcripts (responses, resource versions, watch events)
 * must be equal, uids and timestamps aside.
 */
class IndexedCrudDispatcherTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Held so java.util.logging keeps the level: the mock server logs each request at INFO. */
  private static final java.util.logging.Logger REQUEST_LOG = quiet();

  private static java.util.logging.Logger quiet() {
    java.util.logging.Logger logger =
        java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");
    logger.setLevel(java.util.logging.Level.WARNING);
    return logger;
  }

  @Test
  void fabric8ClientSeesTheSameAsOnThePlainCrudDispatcher() {
    List<String> expected = runScenario(new KubernetesCrudDispatcher(), d -> {});
    List<String> actual =
        runScenario(
            new BindingAwareDispatcher(),
            d -> {
              IndexedCrudDispatcher indexed = (IndexedCrudDispatcher) d;
              assertThat(indexed.indexAgreesWithStore()).isTrue();
              assertThat(indexed.rebuilds()).isZero();
            });
    assertThat(actual).containsExactlyElementsOf(expected);
  }

  @Test
  void randomRequestsGetTheSameResponses() {
    KubernetesCrudDispatcher plain = new KubernetesCrudDispatcher();
    IndexedCrudDispatcher indexed = new IndexedCrudDispatcher();
    Random random = new Random(20240611L);
    List<String> namespaces = List.of("a", "b");
    List<String> names = List.of("x", "y", "z");
    for (int i = 0; i < 3_000; i++) {
      RecordedRequest request = randomRequest(random, namespaces, names);
      // Reading a request's body consumes it: each dispatcher gets its own copy.
      String body = request.getUtf8Body();
      MockResponse want = plain.dispatch(copy(request, body));
      MockResponse got = indexed.dispatch(copy(request, body));
      String what = i + ": " + request.method() + " " + request.getPath();
      assertThat(got.code()).as(what).isEqualTo(want.code());
      assertThat(normalized(body(got))).as(what).isEqualTo(normalized(body(want)));
    }
    assertThat(indexed.indexAgreesWithStore()).isTrue();
    assertThat(indexed.rebuilds()).isZero();
  }

  /**
   * Runs the scenario on a server with {@code dispatcher} and returns its transcript; {@code check}
   * sees the dispatcher after every step.
   */
  private static List<String> runScenario(Dispatcher dispatcher, Consumer<Dispatcher> check) {
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    List<String> log = new ArrayList<>();
    List<String> events = new CopyOnWriteArrayList<>();
    List<String> selectedEvents = new CopyOnWriteArrayList<>();
    try (KubernetesClient client = server.createClient();
        Watch all = client.pods().inNamespace("ns1").watch(recorder(events));
        Watch selected =
            client
                .pods()
                .inNamespace("ns1")
                .withLabel("app", "web")
                .watch(recorder(selectedEvents))) {
      var pods = client.pods().inNamespace("ns1");
      Runnable step = () -> check.accept(dispatcher);

      Pod a = pods.resource(pod("a", "web")).create();
      log.add("create a: " + json(a));
      assertThat(a.getMetadata().getResourceVersion()).isEqualTo("1");
      step.run();
      log.add("create b: " + json(pods.resource(pod("b", "db")).create()));
      log.add("create x in ns1: " + json(pods.resource(pod("x", "web")).create()));
      log.add(
          "create x in ns2: "
              + json(client.pods().inNamespace("ns2").resource(pod("x", "web")).create()));
      log.add(
          "create configmap a: "
              + json(
                  client
                      .configMaps()
                      .inNamespace("ns1")
                      .resource(
                          new ConfigMapBuilder()
                              .withNewMetadata()
                              .withName("a")
                              .endMetadata()
                              .addToData("k", "v")
                              .build())
                      .create()));
      log.add(
          "create node n1: "
              + json(
                  client
                      .nodes()
                      .resource(
                          new NodeBuilder().withNewMetadata().withName("n1").endMetadata().build())
                      .create()));
      step.run();

      KubernetesClientException duplicate =
          catchThrowableOfType(
              () -> pods.resource(pod("a", "web")).create(), KubernetesClientException.class);
      assertThat(duplicate.getCode()).isEqualTo(409);
      log.add("duplicate a: " + duplicate.getCode());

      log.add("get a: " + json(pods.withName("a").get()));
      log.add("get x in ns2: " + json(client.pods().inNamespace("ns2").withName("x").get()));
      log.add("get missing: " + json(pods.withName("missing").get()));
      log.add(
          "get configmap a: " + json(client.configMaps().inNamespace("ns1").withName("a").get()));
      log.add("get node n1: " + json(client.nodes().withName("n1").get()));

      // An update that changes labels changes the store's key for the pod.
      Pod relabelled =
          pods.withName("a")
              .edit(
                  p ->
                      new PodBuilder(p)
                          .editMetadata()
                          .addToLabels("app", "api")
                          .endMetadata()
                          .build());
      assertThat(Long.parseLong(relabelled.getMetadata().getResourceVersion()))
          .isGreaterThan(Long.parseLong(a.getMetadata().getResourceVersion()));
      log.add("edit a: " + json(relabelled));
      step.run();
      log.add("get a after edit: " + json(pods.withName("a").get()));

      Pod stale =
          new PodBuilder(relabelled).editMetadata().withResourceVersion("1").endMetadata().build();
      KubernetesClientException conflict =
          catchThrowableOfType(
              () -> pods.resource(stale).update(), KubernetesClientException.class);
      assertThat(conflict.getCode()).isEqualTo(409);
      log.add("stale update a: " + conflict.getCode());

      log.add(
          "merge patch b: "
              + json(
                  pods.withName("b")
                      .patch(
                          PatchContext.of(PatchType.JSON_MERGE),
                          "{\"metadata\":{\"labels\":{\"app\":\"web\",\"tier\":\"2\"}}}")));
      log.add(
          "replace x: "
              + json(
                  pods.resource(
                          new PodBuilder(pods.withName("x").get())
                              .editSpec()
                              .withNodeName("n1")
                              .endSpec()
                              .build())
                      .update()));
      step.run();

      log.add("list ns1: " + names(pods.list().getItems()));
      log.add("list app=web: " + names(pods.withLabel("app", "web").list().getItems()));
      log.add("list app!=web: " + names(pods.withoutLabel("app", "web").list().getItems()));
      log.add("list any namespace: " + names(client.pods().inAnyNamespace().list().getItems()));
      log.add(
          "list by field name=x: "
              + names(
                  client
                      .pods()
                      .inAnyNamespace()
                      .withField("metadata.name", "x")
                      .list()
                      .getItems()));

      // Finalizers: the first delete only marks the pod, removing them lets it go.
      pods.resource(
              new PodBuilder(pod("f", "web"))
                  .editMetadata()
                  .addToFinalizers("cotenant.dev/hold")
                  .endMetadata()
                  .build())
          .create();
      log.add("delete f: " + pods.withName("f").delete().size());
      Pod marked = pods.withName("f").get();
      assertThat(marked.getMetadata().getDeletionTimestamp()).isNotNull();
      log.add("get f marked: " + json(marked));
      pods.withName("f")
          .edit(p -> new PodBuilder(p).editMetadata().withFinalizers().endMetadata().build());
      log.add("get f released: " + json(pods.withName("f").get()));
      assertThat(pods.withName("f").get()).isNull();
      step.run();

      log.add("delete b: " + pods.withName("b").delete().size());
      assertThat(pods.withName("b").get()).isNull();
      log.add("get b after delete: " + json(pods.withName("b").get()));
      log.add("delete b again: " + pods.withName("b").delete().size());
      log.add("x in ns2 still: " + json(client.pods().inNamespace("ns2").withName("x").get()));
      step.run();

      // b's deletion is the last event either watch gets.
      awaitEvent(events, "DELETED b ");
      awaitEvent(selectedEvents, "DELETED b ");
      assertThat(events).startsWith("ADDED a 1", "ADDED b 2", "ADDED x 3");
      assertThat(events).anyMatch(e -> e.startsWith("MODIFIED a "));
      assertThat(events).anyMatch(e -> e.startsWith("DELETED f "));
      // Relabelled away from app=web, a leaves the selected watch; patched onto it, b joins it.
      assertThat(selectedEvents).anyMatch(e -> e.startsWith("DELETED a "));
      assertThat(selectedEvents).anyMatch(e -> e.startsWith("ADDED b "));
      log.add("watch ns1: " + events);
      log.add("watch app=web: " + selectedEvents);
    } finally {
      server.destroy();
    }
    return log;
  }

  private static Watcher<Pod> recorder(List<String> events) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, Pod pod) {
        events.add(
            action
                + " "
                + pod.getMetadata().getName()
                + " "
                + pod.getMetadata().getResourceVersion());
      }

      @Override
      public void onClose(WatcherException cause) {}
    };
  }

  private static Pod pod(String name, String app) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .addToLabels("app", app)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("main")
        .withImage("busybox")
        .endContainer()
        .endSpec()
        .build();
  }

  private static List<String> names(List<? extends HasMetadata> items) {
    return items.stream()
        .map(
            i ->
                i.getMetadata().getNamespace()
                    + "/"
                    + i.getMetadata().getName()
                    + "@"
                    + i.getMetadata().getResourceVersion())
        .sorted()
        .toList();
  }

  private static String json(Object resource) {
    return resource == null ? "null" : normalized(JSON.valueToTree(resource).toString());
  }

  /** The JSON without what differs between any two runs: uids and wall-clock timestamps. */
  private static String normalized(String body) {
    if (body.isEmpty()) {
      return body;
    }
    JsonNode tree;
    try {
      tree = JSON.readTree(body);
    } catch (Exception e) {
      return body;
    }
    strip(tree);
    return tree.toString();
  }

  private static void strip(JsonNode node) {
    if (node instanceof ObjectNode object) {
      object.remove(List.of("uid", "creationTimestamp", "deletionTimestamp", "lastTransitionTime"));
      object.forEach(IndexedCrudDispatcherTest::strip);
    } else if (node.isArray()) {
      node.forEach(IndexedCrudDispatcherTest::strip);
    }
  }

  private static RecordedRequest randomRequest(
      Random random, List<String> namespaces, List<String> names) {
    String ns = namespaces.get(random.nextInt(namespaces.size()));
    String name = names.get(random.nextInt(names.size()));
    // Events exist in two API groups: a core GET by name matches both, which the index leaves
    // to the superclass's scan.
    String[][] kinds = {
      {"/api/v1", "pods", "v1", "Pod"},
      {"/api/v1", "pods", "v1", "Pod"},
      {"/api/v1", "configmaps", "v1", "ConfigMap"},
      {"/api/v1", "events", "v1", "Event"},
      {"/apis/events.k8s.io/v1", "events", "events.k8s.io/v1", "Event"}
    };
    String[] type = kinds[random.nextInt(kinds.length)];
    String kind = type[1];
    String collection = type[0] + "/namespaces/" + ns + "/" + kind;
    String label = "app" + random.nextInt(2);
    String finalizers = random.nextInt(5) == 0 ? ",\"finalizers\":[\"hold\"]" : "";
    String body =
        "{\"apiVersion\":\""
            + type[2]
            + "\",\"kind\":\""
            + type[3]
            + "\",\"metadata\":{\"name\":\""
            + name
            + "\",\"labels\":{\"app\":\""
            + label
            + "\"}"
            + finalizers
            + "}}";
    return switch (random.nextInt(10)) {
      case 0, 1 -> request(HttpMethod.POST, collection, body, "application/json");
      case 2 -> request(HttpMethod.GET, collection + "/" + name, "", "application/json");
      // No namespace: the superclass matches the name in every namespace.
      case 3 -> request(HttpMethod.GET, type[0] + "/" + kind + "/" + name, "", "application/json");
      case 4 -> request(HttpMethod.PUT, collection + "/" + name, body, "application/json");
      case 5 ->
          request(
              HttpMethod.PATCH,
              collection + "/" + name,
              "{\"metadata\":{\"labels\":{\"app\":\"" + label + "\"},\"finalizers\":null}}",
              "application/merge-patch+json");
      case 6 -> request(HttpMethod.DELETE, collection + "/" + name, "", "application/json");
      case 7 ->
          request(
              HttpMethod.GET, collection + "?labelSelector=app%3D" + label, "", "application/json");
      case 8 ->
          request(
              HttpMethod.GET,
              collection + "/" + name + "?labelSelector=app%3D" + label,
              "",
              "application/json");
      default -> request(HttpMethod.GET, type[0] + "/" + kind, "", "application/json");
    };
  }

  private static RecordedRequest request(
      HttpMethod method, String path, String body, String contentType) {
    Headers headers = Headers.builder().add("Content-Type", contentType).build();
    return new RecordedRequest("HTTP/1.1", method, path, headers, new Buffer().writeUtf8(body));
  }

  private static RecordedRequest copy(RecordedRequest request, String body) {
    return new RecordedRequest(
        "HTTP/1.1",
        request.method(),
        request.getPath(),
        request.getHeaders(),
        new Buffer().writeUtf8(body));
  }

  private static String body(MockResponse response) {
    Buffer body = response.getBody();
    return body == null ? "" : body.readUtf8();
  }

  private static void awaitEvent(List<String> events, String prefix) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (events.stream().noneMatch(e -> e.startsWith(prefix))) {
      assertThat(System.nanoTime()).as("waiting for %s in %s", prefix, events).isLessThan(deadline);
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
