package dev.cotenant.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a service's {@code src/main/resources/application.properties} says, for checking the
 * environment that compose and the manifests give it: its keys, its HTTP port, whether it has a
 * database or a Kubernetes client.
 */
record ServiceConfig(String service, Properties properties, Set<String> keys) {
  /**
   * Keys set through the environment that are not in application.properties, each with why it is
   * real. Anything else must be a key of the file, so a misspelt variable fails.
   */
  static final List<String> ALLOWED_EXTRA_KEYS =
      List.of(
          // fabric8's own setting (Config.KUBERNETES_MASTER_SYSTEM_PROPERTY), read by the client
          // itself at run time; quarkus.kubernetes-client.api-server-url is fixed at build time.
          "kubernetes.master",
          // PlacementConfig.LeaderElection#identity: optional, so not in the file.
          "cotenant.placement.leader-election.identity");

  static ServiceConfig of(String service) {
    Properties p = new Properties();
    try (Reader r =
        Files.newBufferedReader(
            Repository.path(
                "services/" + service + "/src/main/resources/application.properties"))) {
      p.load(r);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the configuration of " + service, e);
    }
    Set<String> keys = new TreeSet<>();
    for (String k : p.stringPropertyNames()) {
      keys.add(k.startsWith("%") ? k.substring(k.indexOf('.') + 1) : k); // %test.x -> x
    }
    return new ServiceConfig(service, p, keys);
  }

  /** MicroProfile Config's environment name of a key: non-alphanumerics to _, upper case. */
  static String envName(String key) {
    return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
  }

  /** The key an environment variable sets in this service, if it sets one. */
  Optional<String> keyOf(String env) {
    for (String k : keys) {
      if (envName(k).equals(env)) {
        return Optional.of(k);
      }
    }
    for (String k : ALLOWED_EXTRA_KEYS) {
      if (k.endsWith(".*")
          ? env.startsWith(envName(k.substring(0, k.length() - 1)))
          : envName(k).equals(env)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }

  /** {@code quarkus.http.port}, or the value an environment gives it. */
  int httpPort(java.util.Map<String, String> env) {
    String port = env.get(envName("quarkus.http.port"));
    return Integer.parseInt(port != null ? port : properties.getProperty("quarkus.http.port"));
  }

  boolean hasDatabase() {
    return keys.contains("quarkus.datasource.db-kind");
  }

  boolean usesKubernetes() {
    return "true".equals(properties.getProperty("cotenant.health.kubernetes"));
  }

  /** Whether it verifies bearer tokens (and so needs the public key). */
  boolean verifiesTokens() {
    return keys.contains("mp.jwt.verify.publickey.location");
  }
}
