package dev.cotenant.cli;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The dashboard's address, signed in: the token rides in the URL fragment, which the browser keeps
 * to itself (it is never sent to the server nor logged by it); the page moves it to the tab's
 * session storage and drops it from the address bar.
 */
@Command(
    name = "dashboard",
    description =
        "Prints the URL of job-api's dashboard with a dev token for TENANT (default demo) in its"
            + " fragment: open it in a browser.")
final class DashboardCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      paramLabel = "TENANT",
      arity = "0..1",
      defaultValue = "demo",
      description = "The tenant to sign in as (default ${DEFAULT-VALUE}).")
  String tenant;

  @Option(names = "--admin", description = "Sign in as an admin (sees every tenant's pods).")
  boolean admin;

  @Option(
      names = "--ttl-hours",
      defaultValue = "8",
      description = "Hours until the token expires (default ${DEFAULT-VALUE}).")
  long ttlHours;

  @Override
  public Integer call() throws IOException {
    try {
      String token =
          new DevTokens(Cotenant.home()).token(tenant, admin, Duration.ofHours(ttlHours));
      int port = Cotenant.launcher().ports().get("job-api");
      spec.commandLine()
          .getOut()
          .println("http://127.0.0.1:" + port + "/dashboard/#token=" + token);
      return 0;
    } catch (IllegalArgumentException | IllegalStateException e) {
      spec.commandLine().getErr().println("cotenant: " + e.getMessage());
      return Cotenant.EXIT_USAGE;
    }
  }
}
