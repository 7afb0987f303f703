package dev.cotenant.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./cotenant node down|up NAME}: a node of the embedded cluster dies (it turns NotReady, its
 * pods fail as on a lost node, its exporter stops answering) or comes back. The local stack's
 * status endpoint does it; this only asks.
 */
@Command(
    name = "node",
    description = "Takes a simulated node down (NotReady, its pods fail) or brings it back up.")
final class NodeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "down|up")
  String action;

  @Parameters(index = "1", paramLabel = "NAME", description = "The node's name.")
  String name;

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (!action.equals("down") && !action.equals("up")) {
      spec.commandLine().getErr().println("cotenant: say node down NAME or node up NAME");
      return Cotenant.EXIT_USAGE;
    }
    LaunchPorts ports = LaunchPorts.load(StackLauncher.portsFile(Cotenant.home()), System.getenv());
    URI uri =
        URI.create("http://127.0.0.1:" + ports.get("stack") + "/nodes/" + name + "/" + action);
    HttpResponse<String> response;
    try {
      response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(uri)
                      .timeout(Duration.ofSeconds(30))
                      .POST(HttpRequest.BodyPublishers.noBody())
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      spec.commandLine()
          .getErr()
          .println("cotenant: the local stack does not answer (" + uri + "); is it up?");
      return Cotenant.EXIT_FAILED;
    }
    if (response.statusCode() != 200) {
      String message = response.body();
      try {
        message = new ObjectMapper().readTree(message).path("message").asText(message);
      } catch (IOException notJson) {
        // say what the stack said
      }
      spec.commandLine().getErr().println("cotenant: " + message);
      return Cotenant.EXIT_FAILED;
    }
    spec.commandLine().getOut().println("node " + name + " " + action);
    return 0;
  }
}
