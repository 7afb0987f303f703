package dev.cotenant.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cotenant.sim.cluster.ClusterCsv;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Table answers kubectl get prints: kube-apiserver's columns and cells for our kinds. */
class ServerTablesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
  private static final String TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io";

  @ParameterizedTest
  @CsvSource({
    "0, 0s",
    "119, 119s",
    "120, 2m",
    "150, 2m30s",
    "600, 10m",
    "10799, 179m",
    "10800, 3h",
    "12600, 3h30m",
    "28800, 8h",
    "172800, 2d",
    "180000, 2d2h",
    "864000, 10d",
    "63072000, 2y",
    "-1, 0s",
    "-5, <invalid>"
  })
  void agesReadAsKubectlShowsThem(long seconds, String shown) {
    assertThat(ServerTables.humanDuration(Duration.ofSeconds(seconds))).isEqualTo(shown);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        // status JSON | READY | STATUS
        "{} | 0/1 | Pending",
        "{'phase':'Running','conditions':[{'type':'Ready','status':'True'}],'containerStatuses':[{'ready':true,'restartCount':0,'state':{'running':{}}}]} | 1/1 | Running",
        "{'phase':'Succeeded','containerStatuses':[{'ready':false,'restartCount':0,'state':{'terminated':{'exitCode':0,'reason':'Completed'}}}]} | 0/1 | Completed",
        "{'phase':'Failed','containerStatuses':[{'ready':false,'restartCount':0,'state':{'terminated':{'exitCode':137,'reason':'OOMKilled'}}}]} | 0/1 | OOMKilled",
        "{'phase':'Failed','containerStatuses':[{'ready':false,'restartCount':0,'state':{'terminated':{'exitCode':3}}}]} | 0/1 | ExitCode:3",
        "{'phase':'Pending','containerStatuses':[{'ready':false,'restartCount':0,'state':{'waiting':{'reason':'ContainerCreating'}}}]} | 0/1 | ContainerCreating",
        "{'phase':'Failed','reason':'NodeLost'} | 0/1 | NodeLost"
      })
  void podStatusIsWhatKubectlWouldShow(String status, String ready, String shown) throws Exception {
    JsonNode pod =
        JSON.readTree(
            ("{'metadata':{'name':'p','namespace':'n','creationTimestamp':'2026-01-01T11:58:30Z'},"
                    + "'spec':{'nodeName':'gpu-1','containers':[{'name':'main'}]},'status':"
                    + status
                    + "}")
                .replace('\'', '"'));
    JsonNode row = JSON.readTree(ServerTables.table("pods", pod, NOW)).path("rows").get(0);
    assertThat(cells(row))
        .containsExactly("p", ready, shown, "0", "90s", "<none>", "gpu-1", "<none>", "<none>");
    assertThat(row.path("object").path("metadata").path("namespace").asText()).isEqualTo("n");
  }

  @Test
  void aRestartedContainerShowsWhenItLastRestarted() throws Exception {
    JsonNode pod =
        JSON.readTree(
            ("{'metadata':{'name':'p','creationTimestamp':'2026-01-01T11:00:00Z',"
                    + "'deletionTimestamp':'2026-01-01T11:59:59Z'},'spec':{'containers':[{}]},"
                    + "'status':{'phase':'Running','podIPs':[{'ip':'10.0.0.7'}],"
                    + "'containerStatuses':[{'ready':true,'restartCount':2,'state':{'running':{}},"
                    + "'lastState':{'terminated':{'finishedAt':'2026-01-01T11:55:00Z'}}}]}}")
                .replace('\'', '"'));
    JsonNode row = JSON.readTree(ServerTables.table("pods", pod, NOW)).path("rows").get(0);
    assertThat(cells(row).subList(1, 6))
        .containsExactly("1/1", "Terminating", "2 (5m ago)", "60m", "10.0.0.7");
  }

  @Test
  void eventsCarryEveryColumnInWideOrder() throws Exception {
    JsonNode event =
        JSON.readTree(
            ("{'metadata':{'name':'p.1','namespace':'n','creationTimestamp':'2026-01-01T11:00:00Z'},"
                    + "'involvedObject':{'kind':'Pod','name':'p'},'reason':'Scheduled',"
                    + "'type':'Normal','message':'bound to gpu-1 ','source':{'component':'cotenant'},"
                    + "'firstTimestamp':'2026-01-01T11:59:00Z'}")
                .replace('\'', '"'));
    JsonNode row = JSON.readTree(ServerTables.table("events", event, NOW)).path("rows").get(0);
    assertThat(cells(row))
        .containsExactly(
            "60s",
            "Normal",
            "Scheduled",
            "pod/p",
            "",
            "cotenant",
            "bound to gpu-1",
            "60s",
            "1",
            "p.1");
  }

  @Test
  void nodesAndPodsOverHttpAsKubectlAsksForThem() throws Exception {
    try (KubernetesApiServer server = KubernetesApiServer.startEphemeral()) {
      server.addNodes(ClusterCsv.defaultCluster());
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/nodes?limit=500"))
                  .header(
                      "Accept",
                      TABLE + ",application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      JsonNode table = JSON.readTree(response.body());
      assertThat(table.path("kind").asText()).isEqualTo("Table");
      assertThat(table.path("apiVersion").asText()).isEqualTo("meta.k8s.io/v1");
      List<String> columns = new ArrayList<>();
      List<Integer> priorities = new ArrayList<>();
      table
          .path("columnDefinitions")
          .forEach(
              c -> {
                columns.add(c.path("name").asText());
                priorities.add(c.path("priority").asInt());
              });
      assertThat(columns)
          .containsExactly(
              "Name",
              "Status",
              "Roles",
              "Age",
              "Version",
              "Internal-IP",
              "External-IP",
              "OS-Image",
              "Kernel-Version",
              "Container-Runtime");
      assertThat(priorities).containsExactly(0, 0, 0, 0, 0, 1, 1, 1, 1, 1);
      // Sorted by name as an API server lists; both nodes Ready.
      assertThat(table.path("rows")).hasSize(2);
      assertThat(cells(table.path("rows").get(0)).subList(0, 3))
          .containsExactly("seed000-worker", "Ready", "<none>");
      assertThat(cells(table.path("rows").get(1)).get(0)).isEqualTo("seed001-gpu");

      // Without the Table media type the same request is the plain list, as before.
      HttpResponse<String> plain =
          http.send(
              HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/nodes")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(JSON.readTree(plain.body()).path("items")).hasSize(2);

      HttpResponse<String> one =
          http.send(
              HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/nodes/seed001-gpu"))
                  .header("Accept", TABLE)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(JSON.readTree(one.body()).path("rows")).hasSize(1);
    }
  }

  private static List<String> cells(JsonNode row) {
    List<String> cells = new ArrayList<>();
    row.path("cells").forEach(cell -> cells.add(cell.asText()));
    return cells;
  }
}
