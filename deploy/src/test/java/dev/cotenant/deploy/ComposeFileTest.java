package dev.cotenant.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cotenant.events.Topics;
import dev.cotenant.localstack.LocalStack;
import dev.cotenant.localstack.StackPorts;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml, checked without a Docker engine: it parses, every service comes from a pinned
 * image or a Dockerfile of this repository, the four services' environment, ports and health checks
 * match their application.properties, and they start after what they need is healthy.
 */
class ComposeFileTest {
  static final String ZIPKIN_ENDPOINT = "http://zipkin:9411/api/v2/spans";
  static final Pattern URL = Pattern.compile("https?://([^/\\s:]+):(\\d+)(/[^\\s\"']*)?");

  static Map<String, Object> compose;
  static Map<String, Map<String, Object>> services;

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void parse() throws IOException {
    try (Reader r = Files.newBufferedReader(Repository.path("docker-compose.yml"))) {
      compose = new Yaml().load(r); // merge keys (<<: *anchor) resolved as compose does
    }
    services = (Map<String, Map<String, Object>>) compose.get("services");
  }

  /** The compose services that run one of the four Quarkus services, by service module. */
  static Map<String, String> quarkusServices() {
    Map<String, String> found = new LinkedHashMap<>();
    services.forEach((name, s) -> buildArg(s, "SERVICE").ifPresent(m -> found.put(name, m)));
    return found;
  }

  @SuppressWarnings("unchecked")
  static Optional<String> buildArg(Map<String, Object> service, String arg) {
    if (!(service.get("build") instanceof Map<?, ?> build)
        || !(build.get("args") instanceof Map<?, ?> args)) {
      return Optional.empty();
    }
    return Optional.ofNullable(((Map<String, Object>) args).get(arg)).map(String::valueOf);
  }

  static Map<String, String> env(Map<String, Object> service) {
    Map<String, String> env = new LinkedHashMap<>();
    Object e = service.get("environment");
    if (e instanceof Map<?, ?> m) {
      m.forEach((k, v) -> env.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
    } else if (e instanceof List<?> l) {
      for (Object item : l) {
        String[] kv = String.valueOf(item).split("=", 2);
        env.put(kv[0], kv.length > 1 ? kv[1] : null);
      }
    }
    return env;
  }

  /** Container ports published by a service: "HOST:CONTAINER" entries. */
  static Map<Integer, Integer> published(Map<String, Object> service) {
    Map<Integer, Integer> ports = new LinkedHashMap<>();
    if (service.get("ports") instanceof List<?> list) {
      for (Object p : list) {
        String[] parts = String.valueOf(p).replaceAll("/(tcp|udp)$", "").split(":");
        ports.put(
            Integer.parseInt(parts[parts.length - 2]), Integer.parseInt(parts[parts.length - 1]));
      }
    }
    return ports;
  }

  /** The service whose network namespace this one joins ({@code network_mode: service:X}). */
  static String networkOwner(String name) {
    Object mode = services.get(name).get("network_mode");
    return mode != null && String.valueOf(mode).startsWith("service:")
        ? String.valueOf(mode).substring("service:".length())
        : name;
  }

  static Map<String, String> dependsOn(Map<String, Object> service) {
    Map<String, String> deps = new LinkedHashMap<>();
    Object d = service.get("depends_on");
    if (d instanceof List<?> l) {
      l.forEach(x -> deps.put(String.valueOf(x), "service_started"));
    } else if (d instanceof Map<?, ?> m) {
      m.forEach(
          (k, v) ->
              deps.put(
                  String.valueOf(k),
                  v instanceof Map<?, ?> c && c.get("condition") != null
                      ? String.valueOf(c.get("condition"))
                      : "service_started"));
    }
    return deps;
  }

  static String healthcheck(Map<String, Object> service) {
    if (!(service.get("healthcheck") instanceof Map<?, ?> h)) {
      return "";
    }
    Object test = h.get("test");
    return test instanceof List<?> l
        ? String.join(" ", l.stream().map(String::valueOf).toList())
        : String.valueOf(test);
  }

  @Test
  void parsesWithTheExpectedServices() {
    assertThat(compose).containsKey("name");
    assertThat(services)
        .containsKeys("kafka", "kafka-init", "postgres", "zipkin", "cluster")
        .containsKeys(Repository.SERVICES.toArray(String[]::new));
    assertThat(quarkusServices().values()).containsExactlyInAnyOrderElementsOf(Repository.SERVICES);
  }

  @Test
  void everyServiceHasAPinnedImageOrADockerfileOfThisRepository() throws IOException {
    for (var entry : services.entrySet()) {
      String name = entry.getKey();
      Map<String, Object> s = entry.getValue();
      if (s.get("build") instanceof Map<?, ?> build) {
        Path context = Repository.ROOT.resolve(String.valueOf(build.get("context"))).normalize();
        Path dockerfile = context.resolve(String.valueOf(build.get("dockerfile")));
        assertThat(context).as("%s: build context", name).isEqualTo(Repository.ROOT);
        assertThat(dockerfile).as("%s: dockerfile", name).isRegularFile();
        checkCopySources(name, dockerfile, buildArg(s, "SERVICE"));
      } else {
        String image = String.valueOf(s.get("image"));
        assertThat(image)
            .as("%s: an image with a pinned tag", name)
            .matches("[a-z0-9./-]+:[A-Za-z0-9._-]+")
            .doesNotEndWith(":latest");
      }
    }
  }

  /**
   * Each COPY source of the Dockerfile is the output of a module of this build, and the
   * Dockerfile's own .dockerignore lets it into the context.
   */
  private static void checkCopySources(String name, Path dockerfile, Optional<String> service)
      throws IOException {
    List<String> ignore = Files.readAllLines(Path.of(dockerfile + ".dockerignore"));
    List<Pattern> allowed =
        ignore.stream()
            .filter(l -> l.startsWith("!"))
            .map(
                l ->
                    Pattern.compile(
                        l.substring(1).replace(".", "\\.").replace("*", "[^/]*") + "(/.*)?"))
            .toList();
    assertThat(ignore).as("%s: the context starts empty", name).contains("*");
    List<String> sources = new ArrayList<>();
    for (String line : Files.readAllLines(dockerfile)) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 3 && f[0].equals("COPY")) {
        sources.addAll(List.of(f).subList(f[1].startsWith("--") ? 2 : 1, f.length - 1));
      }
    }
    assertThat(sources).as("%s: COPY lines", name).isNotEmpty();
    for (String source : sources) {
      if (source.contains("${SERVICE}")) {
        assertThat(service).as("%s: build arg SERVICE", name).isPresent();
        source = source.replace("${SERVICE}", service.get());
      }
      String module = source.substring(0, source.indexOf("/target/"));
      assertThat(Repository.path(module).resolve("pom.xml"))
          .as("%s: %s is built by a module", name, source)
          .isRegularFile();
      String s = source.replaceAll("/$", "");
      assertThat(allowed.stream().anyMatch(p -> p.matcher(s).matches()))
          .as("%s: %s is let into the build context by %s.dockerignore", name, source, dockerfile)
          .isTrue();
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void theClusterRunsLocalStackWithOptionsItHas() {
    Map<String, Object> cluster = services.get("cluster");
    assertThat(String.valueOf(((Map<String, Object>) cluster.get("build")).get("dockerfile")))
        .isEqualTo("deploy/docker/Dockerfile.local-stack");
    List<String> args =
        ((List<Object>) cluster.get("command")).stream().map(String::valueOf).toList();
    // picocli refuses an option local-stack does not have, or a value of the wrong type.
    new picocli.CommandLine(new LocalStack()).parseArgs(args.toArray(String[]::new));
    assertThat(args).as("the kubelets run").doesNotContain("--no-kubelets");
  }

  @Test
  void environmentNamesAreKeysOfTheServicesConfiguration() {
    quarkusServices()
        .forEach(
            (name, module) -> {
              ServiceConfig config = ServiceConfig.of(module);
              for (String variable : env(services.get(name)).keySet()) {
                assertThat(config.keyOf(variable))
                    .as(
                        "%s: %s names no key of %s's application.properties",
                        name, variable, module)
                    .isPresent();
              }
            });
  }

  @Test
  void tracingGoesToZipkinAndNothingIsLeftOfJaegerOrOtlp() throws IOException {
    assertThat(String.valueOf(services.get("zipkin").get("image")))
        .startsWith("openzipkin/zipkin:");
    assertThat(published(services.get("zipkin"))).containsEntry(9411, 9411);
    quarkusServices()
        .keySet()
        .forEach(
            name ->
                assertThat(env(services.get(name)))
                    .as(name)
                    .containsEntry("QUARKUS_OTEL_SDK_DISABLED", "false")
                    .containsEntry("COTENANT_TRACING_ZIPKIN_ENDPOINT", ZIPKIN_ENDPOINT));
    assertThat(Files.readString(Repository.path("docker-compose.yml")).toLowerCase())
        .doesNotContain("jaeger")
        .doesNotContain("otlp");
  }

  @Test
  void publishedPortsReachWhatTheServicesListenOn() {
    Map<String, Set<Integer>> listening = new HashMap<>();
    quarkusServices()
        .forEach(
            (name, module) -> {
              int port = ServiceConfig.of(module).httpPort(env(services.get(name)));
              String owner = networkOwner(name);
              assertThat(listening.computeIfAbsent(owner, o -> new HashSet<>()).add(port))
                  .as("%s: port %d is taken in the network namespace of %s", name, port, owner)
                  .isTrue();
              assertThat(published(services.get(owner)).values())
                  .as("%s listens on %d: published by %s", name, port, owner)
                  .contains(port);
              if (!owner.equals(name)) {
                assertThat(services.get(name)).as(name).doesNotContainKey("ports");
              }
              if (owner.equals("cluster")) {
                assertThat(StackPorts.DEFAULTS.byComponent().values())
                    .as("%s: port %d is one of local-stack's, in the same namespace", name, port)
                    .doesNotContain(port);
              }
            });
    List<Integer> hostPorts = new ArrayList<>();
    services.values().forEach(s -> hostPorts.addAll(published(s).keySet()));
    assertThat(hostPorts).as("host ports").doesNotHaveDuplicates();
  }

  @Test
  void healthChecksAskTheReadinessEndpoints() {
    quarkusServices()
        .forEach(
            (name, module) -> {
              String check = healthcheck(services.get(name));
              Matcher url = URL.matcher(check);
              assertThat(url.find()).as("%s: health check %s", name, check).isTrue();
              assertThat(url.group(3)).as(name).isEqualTo("/q/health/ready");
              assertThat(Integer.parseInt(url.group(2)))
                  .as(name)
                  .isEqualTo(ServiceConfig.of(module).httpPort(env(services.get(name))));
              assertThat(url.group(1)).as(name).isIn("127.0.0.1", "localhost");
            });
    Matcher cluster = URL.matcher(healthcheck(services.get("cluster")));
    assertThat(cluster.find()).isTrue();
    assertThat(Integer.parseInt(cluster.group(2))).isEqualTo(StackPorts.DEFAULTS.status());
    assertThat(cluster.group(3)).isEqualTo("/health");
    assertThat(healthcheck(services.get("zipkin"))).contains("127.0.0.1:9411/health");
    for (String other : List.of("kafka", "postgres")) {
      assertThat(healthcheck(services.get(other))).as(other).isNotBlank();
    }
  }

  @Test
  void servicesStartAfterWhatTheyNeedIsHealthy() {
    services.forEach(
        (name, s) ->
            dependsOn(s)
                .forEach(
                    (dep, condition) -> {
                      assertThat(services).as("%s depends on %s", name, dep).containsKey(dep);
                      if (condition.equals("service_healthy")) {
                        assertThat(healthcheck(services.get(dep)))
                            .as("%s waits for %s to be healthy: it needs a health check", name, dep)
                            .isNotBlank();
                      }
                    }));
    assertNoCycle();
    assertThat(dependsOn(services.get("kafka-init"))).containsEntry("kafka", "service_healthy");
    quarkusServices()
        .forEach(
            (name, module) -> {
              ServiceConfig config = ServiceConfig.of(module);
              Map<String, String> deps = dependsOn(services.get(name));
              assertThat(deps)
                  .as("%s: after the topics exist", name)
                  .containsEntry("kafka-init", "service_completed_successfully");
              if (config.hasDatabase()) {
                assertThat(deps).as(name).containsEntry("postgres", "service_healthy");
              }
              if (config.usesKubernetes()) {
                assertThat(deps).as(name).containsEntry("cluster", "service_healthy");
              }
            });
  }

  private static void assertNoCycle() {
    Map<String, Integer> state = new HashMap<>(); // 1 visiting, 2 done
    for (String s : services.keySet()) {
      visit(s, state, new ArrayList<>());
    }
  }

  private static void visit(String s, Map<String, Integer> state, List<String> path) {
    path.add(s);
    assertThat(Integer.valueOf(1).equals(state.get(s))).as("depends_on cycle: %s", path).isFalse();
    if (state.get(s) == null) {
      state.put(s, 1);
      for (String dep : dependsOn(services.get(s)).keySet()) {
        visit(dep, state, path);
      }
      state.put(s, 2);
    }
    path.remove(path.size() - 1);
  }

  @Test
  void theServicesReachKafkaPostgresAndTheSimulatedCluster() throws IOException {
    Map<String, String> kafka = env(services.get("kafka"));
    assertThat(String.valueOf(services.get("kafka").get("image"))).startsWith("apache/kafka:");
    assertThat(kafka.get("KAFKA_PROCESS_ROLES")).as("KRaft").contains("controller");
    String initdb = Files.readString(Repository.path("deploy/compose/init-databases.sql"));
    String topics = String.valueOf(services.get("kafka-init").get("command"));
    for (String topic : Topics.ALL) {
      assertThat(topics).as("kafka-init creates %s", topic).contains("--topic " + topic + " ");
    }
    quarkusServices()
        .forEach(
            (name, module) -> {
              Map<String, String> env = env(services.get(name));
              assertThat(kafka.get("KAFKA_ADVERTISED_LISTENERS"))
                  .as("%s: KAFKA_BOOTSTRAP_SERVERS is an advertised listener", name)
                  .contains("://" + env.get("KAFKA_BOOTSTRAP_SERVERS"));
              ServiceConfig config = ServiceConfig.of(module);
              if (config.hasDatabase()) {
                Matcher url =
                    Pattern.compile("postgresql://postgres:5432/(\\w+)")
                        .matcher(env.get("QUARKUS_DATASOURCE_REACTIVE_URL"));
                assertThat(url.matches()).as(name).isTrue();
                assertThat(initdb)
                    .as(name)
                    .containsPattern("(?i)CREATE DATABASE " + url.group(1) + "\\b");
              }
              if (config.usesKubernetes()) {
                assertThat(networkOwner(name)).as(name).isEqualTo("cluster");
                assertThat(env.get("KUBERNETES_MASTER"))
                    .isEqualTo("http://127.0.0.1:" + StackPorts.DEFAULTS.kubernetes());
              }
              if (config.verifiesTokens()) {
                assertThat(env.get("MP_JWT_VERIFY_PUBLICKEY_LOCATION"))
                    .as(name)
                    .isEqualTo("/keys/jwt-public.pem");
                assertThat(String.valueOf(services.get(name).get("volumes")))
                    .contains("target=/keys");
              }
            });
  }
}
