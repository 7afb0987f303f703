package dev.cotenant.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** fabric8's own discovery calls accept the documents, and the wire format is a real server's. */
class DiscoveryTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static KubernetesApiServer server;
  private static KubernetesClient client;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    server = KubernetesApiServer.startEphemeral();
    // As the services build theirs: the mock's own client() answers supports() from a predicate.
    client =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder().withMasterUrl(server.url()).withAutoConfigure(false).build())
            .build();
    // Stored objects must not leak into discovery, as they did when the store answered /api.
    client
        .pods()
        .inNamespace("d")
        .resource(new PodBuilder().withNewMetadata().withName("p").endMetadata().build())
        .create();
  }

  @AfterAll
  static void stop() {
    client.close();
    server.close();
  }

  @Test
  void fabric8ReadsVersionGroupsAndResources() {
    assertThat(client.getKubernetesVersion().getGitVersion()).isEqualTo(Discovery.GIT_VERSION);
    assertThat(client.getKubernetesVersion().getMinor()).isEqualTo("32");

    assertThat(client.getApiGroups().getGroups())
        .extracting(APIGroup::getName)
        .containsExactly("apps", "coordination.k8s.io", "discovery.k8s.io", "events.k8s.io");
    assertThat(client.getApiGroup("coordination.k8s.io").getPreferredVersion().getGroupVersion())
        .isEqualTo("coordination.k8s.io/v1");

    var core = client.getApiResources("v1");
    assertThat(core.getGroupVersion()).isEqualTo("v1");
    APIResource pods = resource(core.getResources(), "pods");
    assertThat(pods.getNamespaced()).isTrue();
    assertThat(pods.getKind()).isEqualTo("Pod");
    assertThat(pods.getShortNames()).containsExactly("po");
    assertThat(pods.getVerbs()).contains("create", "get", "list", "watch", "patch", "delete");
    APIResource nodes = resource(core.getResources(), "nodes");
    assertThat(nodes.getNamespaced()).isFalse();
    assertThat(nodes.getShortNames()).containsExactly("no");
    assertThat(resource(core.getResources(), "pods/binding").getVerbs()).containsExactly("create");
    assertThat(resource(core.getResources(), "pods/status").getKind()).isEqualTo("Pod");
    assertThat(core.getResources())
        .filteredOn(r -> !r.getName().contains("/"))
        .extracting(APIResource::getName)
        .contains(
            "pods",
            "nodes",
            "namespaces",
            "services",
            "endpoints",
            "events",
            "configmaps",
            "secrets");

    assertThat(
            resource(client.getApiResources("coordination.k8s.io/v1").getResources(), "leases")
                .getKind())
        .isEqualTo("Lease");
    assertThat(client.getApiResources("metrics.k8s.io/v1beta1")).isNull();
  }

  @Test
  void fabric8SupportsTheKindsCotenantStores() {
    assertThat(client.supports(Pod.class)).isTrue();
    assertThat(client.supports(Node.class)).isTrue();
    assertThat(client.supports(Namespace.class)).isTrue();
    assertThat(client.supports(Service.class)).isTrue();
    assertThat(client.supports(Lease.class)).isTrue();
    assertThat(client.supports(Deployment.class)).isTrue();
    assertThat(client.supports(EndpointSlice.class)).isTrue();
    assertThat(client.supports(io.fabric8.kubernetes.api.model.batch.v1.Job.class)).isFalse();
  }

  @Test
  void aggregatedDiscoveryRequestGetsThePlainDocumentToFallBackTo() throws Exception {
    // What kubectl 1.32 asks first; a server that does not aggregate answers plain JSON.
    String accept =
        "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
            + "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,"
            + "application/json";
    for (String path : new String[] {"/api", "/apis"}) {
      HttpResponse<String> response = get(path, accept);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
      JsonNode body = JSON.readTree(response.body());
      assertThat(body.path("kind").asText()).isIn("APIVersions", "APIGroupList");
      assertThat(response.body()).doesNotContain("\"items\"");
    }
    JsonNode versions = JSON.readTree(get("/api", accept).body());
    assertThat(versions.path("versions").get(0).asText()).isEqualTo("v1");
    assertThat(versions.path("serverAddressByClientCIDRs").get(0).path("serverAddress").asText())
        .isEqualTo("127.0.0.1:" + server.port());
  }

  @Test
  void pathsNoServerServesAre404NotEveryStoredObject() throws Exception {
    for (String path :
        new String[] {
          "/openapi/v2",
          "/apis/metrics.k8s.io/v1beta1",
          "/api/v2",
          "/api/v1/namespaces/d/pods/p/exec"
        }) {
      HttpResponse<String> response = get(path, "application/json");
      assertThat(response.statusCode()).as(path).isEqualTo(404);
      assertThat(JSON.readTree(response.body()).path("kind").asText()).isEqualTo("Status");
    }
    // The store would have matched this path against (and deleted) every object.
    HttpResponse<String> delete =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(server.url() + "/api/v1/namespaces/d/pods/p/ephemeralcontainers"))
                .DELETE()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(delete.statusCode()).isEqualTo(404);
    assertThat(client.pods().inNamespace("d").withName("p").get()).isNotNull();
  }

  @Test
  void openApiV3DeclaresServerSideFieldValidationAndNothingElse() throws Exception {
    JsonNode index = JSON.readTree(get("/openapi/v3", "application/json").body());
    String url = index.path("paths").path("api/v1").path("serverRelativeURL").asText();
    assertThat(url).startsWith("/openapi/v3/api/v1?hash=");
    assertThat(index.path("paths").has("apis/coordination.k8s.io/v1")).isTrue();
    JsonNode core = JSON.readTree(get(url, "application/json").body());
    JsonNode patch =
        core.path("paths").path("/api/v1/namespaces/{namespace}/pods/{name}").path("patch");
    assertThat(patch.path("x-kubernetes-group-version-kind").path("kind").asText())
        .isEqualTo("Pod");
    assertThat(patch.path("parameters").get(0).path("name").asText()).isEqualTo("fieldValidation");
    assertThat(core.path("paths").has("/api/v1/nodes/{name}")).isTrue();
  }

  @Test
  void listsAreNamedAfterTheirItemsAsTypedClientsExpect() throws Exception {
    JsonNode pods = JSON.readTree(get("/api/v1/namespaces/d/pods", "application/json").body());
    assertThat(pods.path("kind").asText()).isEqualTo("PodList");
    assertThat(pods.path("apiVersion").asText()).isEqualTo("v1");
    assertThat(pods.path("items")).hasSize(1);
    JsonNode leases =
        JSON.readTree(
            get("/apis/coordination.k8s.io/v1/namespaces/d/leases", "application/json").body());
    assertThat(leases.path("kind").asText()).isEqualTo("LeaseList");
    assertThat(leases.path("apiVersion").asText()).isEqualTo("coordination.k8s.io/v1");
    assertThat(client.pods().inNamespace("d").list().getItems()).hasSize(1);
  }

  @Test
  void aMissingObjectIsANotFoundStatusNamingIt() throws Exception {
    HttpResponse<String> response = get("/api/v1/namespaces/d/pods/nope", "application/json");
    assertThat(response.statusCode()).isEqualTo(404);
    JsonNode status = JSON.readTree(response.body());
    assertThat(status.path("reason").asText()).isEqualTo("NotFound");
    assertThat(status.path("message").asText()).isEqualTo("pods \"nope\" not found");
    assertThat(client.pods().inNamespace("d").withName("nope").get()).isNull();
  }

  @Test
  void podLogsSayWhyThereAreNone() throws Exception {
    HttpResponse<String> response = get("/api/v1/namespaces/d/pods/p/log", "application/json");
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("does not have a host assigned");
    assertThat(get("/api/v1/namespaces/d/pods/gone/log", "application/json").statusCode())
        .isEqualTo(404);
  }

  private HttpResponse<String> get(String path, String accept) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(server.url() + path)).header("Accept", accept).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static APIResource resource(java.util.List<APIResource> resources, String name) {
    return resources.stream()
        .filter(r -> r.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no resource " + name));
  }
}
