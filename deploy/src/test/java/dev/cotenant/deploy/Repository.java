package dev.cotenant.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The repository these tests check: the parent of this module's directory. */
final class Repository {
  /** The four Quarkus services, each a module under services/. */
  static final List<String> SERVICES = List.of("job-api", "placement", "monitor", "profiler");

  /** Services that call the Kubernetes API, each with its declared calls. */
  static final List<String> KUBERNETES_CLIENTS = List.of("placement", "monitor");

  static final Path ROOT = findRoot();

  private Repository() {}

  private static Path findRoot() {
    Path dir = Path.of("").toAbsolutePath();
    Path root = dir.getFileName().toString().equals("deploy") ? dir.getParent() : dir;
    if (!Files.isRegularFile(root.resolve("docker-compose.yml"))
        || !Files.isDirectory(root.resolve("services"))) {
      throw new IllegalStateException("not the repository (or its deploy module): " + dir);
    }
    return root;
  }

  static Path path(String relative) {
    return ROOT.resolve(relative);
  }

  /** The calls {@code service} declares in services/SERVICE/kubernetes-api-calls.txt. */
  static Path declaredCalls(String service) {
    return path("services/" + service + "/kubernetes-api-calls.txt");
  }
}
