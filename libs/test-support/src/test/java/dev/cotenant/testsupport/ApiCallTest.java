package dev.cotenant.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ApiCallTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "GET    | /api/v1/nodes?resourceVersion=0                        | list core nodes",
        "GET    | /api/v1/pods?allowWatchBookmarks=true&watch=true       | watch core pods",
        "GET    | /api/v1/namespaces/t1/pods/p                           | get core pods",
        "POST   | /api/v1/namespaces/t1/pods                             | create core pods",
        "POST   | /api/v1/namespaces/t1/pods/p/binding                   | create core pods/binding",
        "PATCH  | /api/v1/namespaces/t1/pods/p/status                    | patch core pods/status",
        "DELETE | /api/v1/namespaces/t1/pods?labelSelector=a%3Db         | deletecollection core pods",
        "DELETE | /api/v1/namespaces/t1/services/s                       | delete core services",
        "GET    | /api/v1/namespaces/t1                                  | get core namespaces",
        "POST   | /api/v1/namespaces                                     | create core namespaces",
        "PUT    | /apis/coordination.k8s.io/v1/namespaces/d/leases/l     | update coordination.k8s.io leases",
        "POST   | /apis/events.k8s.io/v1/namespaces/t1/events            | create events.k8s.io events",
        "GET    | /apis/discovery.k8s.io/v1/endpointslices?labelSelector=x | list discovery.k8s.io endpointslices",
      })
  void mapsRequestsToRbacVerbs(String method, String path, String call) {
    assertThat(ApiCall.of(method, path)).contains(ApiCall.parse(call));
    assertThat(ApiCall.parse(call).toString()).isEqualTo(call);
  }

  @ParameterizedTest
  @CsvSource({"/version", "/api", "/api/v1", "/apis", "/apis/apps/v1", "/openapi/v2", "/healthz"})
  void nonResourceUrlsAreNoCalls(String path) {
    assertThat(ApiCall.of("GET", path)).isEqualTo(Optional.empty());
  }

  @Test
  void theEmbeddedApiRecordsTheCallsItAnswered() throws InterruptedException {
    try (KubernetesApiServer api = KubernetesApiServer.startEphemeral()) {
      KubernetesClient client = api.client();
      client
          .pods()
          .inNamespace("a")
          .resource(new PodBuilder().withNewMetadata().withName("p").endMetadata().build())
          .create();
      client.pods().inNamespace("a").withName("p").get();
      api.resetCalls();
      client.pods().inNamespace("a").withName("p").delete();
      ApiCall delete = ApiCall.parse("delete core pods");
      for (int i = 0; i < 100 && !api.calls().contains(delete); i++) {
        Thread.sleep(20);
      }
      assertThat(api.calls()).containsExactly(delete);
    }
  }
}
