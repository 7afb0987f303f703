package dev.cotenant.localstack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cotenant.interference.FileFormatException;
import dev.cotenant.localstack.controller.PodGarbageCollector;
import dev.cotenant.localstack.kubelet.GroundTruth;
import dev.cotenant.localstack.kubelet.SimulatedKubelets;
import dev.cotenant.sim.SimConfig;
import dev.cotenant.sim.cluster.ClusterCsv;
import dev.cotenant.sim.cluster.NodeSpec;
import dev.cotenant.testsupport.EmbeddedStack;
import dev.cotenant.testsupport.KafkaBroker;
import dev.cotenant.testsupport.KubernetesApiServer;
import dev.cotenant.testsupport.Ports;
import dev.cotenant.testsupport.PostgresServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The embedded default of Cotenant in one JVM: a Kafka KRaft broker with Cotenant's topics,
 * PostgreSQL with one database per service (data kept under the home directory), and the Kubernetes
 * API serving the nodes of a cluster file. A status endpoint answers {@code GET /health} with a
 * live check of each part.
 */
@Command(
    name = "local-stack",
    mixinStandardHelpOptions = true,
    description = "Runs Kafka, PostgreSQL and an embedded Kubernetes API for Cotenant on loopback.")
public final class LocalStack implements Callable<Integer> {
  /** Every service's own database. */
  public static final List<String> DATABASES =
      List.of("job_api", "placement", "monitor", "profiler");

  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(
      names = "--home",
      defaultValue = ".cotenant",
      description = "State directory (data, run files).")
  Path home;

  @Option(names = "--kafka-port", defaultValue = "19092")
  int kafkaPort;

  @Option(names = "--kafka-controller-port", defaultValue = "19093")
  int kafkaControllerPort;

  @Option(names = "--postgres-port", defaultValue = "15432")
  int postgresPort;

  @Option(names = "--kube-port", defaultValue = "16443")
  int kubePort;

  @Option(names = "--status-port", defaultValue = "19000")
  int statusPort;

  @Option(
      names = "--cluster",
      description =
          "Cluster CSV (name,cpu_milli,memory_mib,num_gpu,gpu_model,gpu_memory_mib); "
              + "default: the seed 001 GPU node and the seed 000 worker.")
  Path cluster;

  @Option(
      names = "--interference",
      paramLabel = "I.json",
      description =
          "Hidden ground truth of the simulated kubelets (cotenant.interference/v1); default: seed"
              + " 001's, with seed 001's workload for the apps' solo run times.")
  Path interference;

  @Option(
      names = "--workload",
      paramLabel = "W.csv",
      description = "Workload file whose solo_duration_s give each app's run time alone.")
  Path workload;

  /** {@code --speed} when none is given: simulated seconds per wall second. */
  public static final String DEFAULT_SPEED = "100";

  /** {@code --pod-start-seconds} when none is given: seed 000's 59 s over 29 gaps. */
  public static final String DEFAULT_POD_START_SECONDS = "2.0344827586206895";

  @Option(
      names = "--speed",
      defaultValue = DEFAULT_SPEED,
      description = "Simulated seconds per wall second (default ${DEFAULT-VALUE}: 1 s = 10 ms).")
  double speed;

  @Option(
      names = "--pod-start-seconds",
      defaultValue = DEFAULT_POD_START_SECONDS,
      description = "Simulated seconds from a pod's start slot to running (default: seed 000's).")
  double podStartSeconds;

  @Option(
      names = "--parallel-starts",
      defaultValue = "1",
      description = "Pods a node starts at once (default ${DEFAULT-VALUE}, as seed 000 saw).")
  int parallelStarts;

  @Option(
      names = "--image-pull-seconds",
      defaultValue = "0",
      description = "Simulated seconds a node pulls an image it has not run yet (default 0).")
  double imagePullSeconds;

  @Option(
      names = "--default-solo-seconds",
      defaultValue = "300",
      description = "Run time alone of a pod whose app the truth has no time for (default 300).")
  double defaultSoloSeconds;

  @Option(
      names = "--dcgm-port",
      defaultValue = "19400",
      description = "Port of every node's DCGM exporter (default ${DEFAULT-VALUE}).")
  int dcgmPort;

  @Option(
      names = "--no-kubelets",
      description = "Run no simulated kubelets or exporters: bound pods stay Pending.")
  boolean noKubelets;

  @Option(
      names = "--terminated-pod-gc-threshold",
      defaultValue = "" + PodGarbageCollector.DEFAULT_THRESHOLD,
      description =
          "Terminated pods kept before the oldest are deleted, as kube-controller-manager's flag"
              + " (default ${DEFAULT-VALUE}; 0 keeps every one).")
  int terminatedPodGcThreshold;

  @Option(
      names = "--partitions",
      defaultValue = "3",
      description = "Partitions per Cotenant topic.")
  int partitions;

  /** Threads posting pod statuses (and registering nodes at the start). */
  static final int WRITER_THREADS = 16;

  /**
   * The kubelets' own client of the embedded API. fabric8 allows 5 requests in flight per host by
   * default: at 300 pod starts/s (three status writes each, plus 100 Lease renewals/s) the status
   * writers queued behind that limit while the API thread sat mostly idle.
   */
  private volatile io.fabric8.kubernetes.client.KubernetesClient kubeletClient;

  private static io.fabric8.kubernetes.client.KubernetesClient kubeletClient(
      KubernetesApiServer api) {
    return new io.fabric8.kubernetes.client.KubernetesClientBuilder()
        .withConfig(
            new io.fabric8.kubernetes.client.ConfigBuilder()
                .withMasterUrl(api.url())
                .withAutoConfigure(false)
                .withMaxConcurrentRequests(256)
                .withMaxConcurrentRequestsPerHost(64)
                .build())
        .build();
  }

  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile SimulatedKubelets simulation;
  private volatile PodGarbageCollector podGc;

  public static void main(String[] args) {
    System.exit(new CommandLine(new LocalStack()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    StackPorts ports =
        new StackPorts(kafkaPort, kafkaControllerPort, postgresPort, kubePort, statusPort);
    List<NodeSpec> nodes;
    GroundTruth truth;
    SimulatedKubelets.Settings settings;
    try {
      nodes = cluster == null ? ClusterCsv.defaultCluster() : ClusterCsv.read(cluster);
      truth =
          GroundTruth.load(
              Optional.ofNullable(interference), Optional.ofNullable(workload), defaultSoloSeconds);
      settings =
          new SimulatedKubelets.Settings(
              speed,
              new SimConfig(podStartSeconds, parallelStarts),
              imagePullSeconds,
              dcgmPort,
              WRITER_THREADS);
    } catch (FileFormatException | IllegalArgumentException | UncheckedIOException e) {
      System.err.println("local-stack: " + e.getMessage());
      return 2;
    }
    for (var port : ports.byComponent().entrySet()) {
      if (Ports.isTaken(port.getValue())) {
        System.err.printf(
            "local-stack: port %d for %s is already in use%n", port.getValue(), port.getKey());
        return 3;
      }
    }
    long t0 = System.nanoTime();
    Path data = home.toAbsolutePath().resolve("data");
    Path logs = home.toAbsolutePath().resolve("logs");
    Path run = home.toAbsolutePath().resolve("run");
    Files.createDirectories(logs);
    Files.createDirectories(run);

    EmbeddedStack parts;
    try {
      parts =
          EmbeddedStack.start(
              () -> KafkaBroker.start(data.resolve("kafka"), kafkaPort, kafkaControllerPort, false),
              () -> {
                PostgresServer pg =
                    PostgresServer.start(
                        data.resolve("postgres"),
                        postgresPort,
                        true,
                        false,
                        logs.resolve("postgres.log"));
                // Recorded at once, so the launcher can stop the postmaster even if this JVM dies.
                Files.writeString(run.resolve("postgres.pid"), String.valueOf(pg.pid()));
                return pg;
              },
              () -> KubernetesApiServer.start(kubePort));
    } catch (IllegalStateException e) {
      System.err.println("local-stack: " + e.getMessage());
      e.printStackTrace();
      return 1;
    }
    KafkaBroker kafka = parts.kafka();
    PostgresServer postgres = parts.postgres();
    KubernetesApiServer kubernetes = parts.kubernetes();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  // The kubelets first: they are clients of the Kubernetes API.
                  SimulatedKubelets running = simulation;
                  if (running != null) {
                    running.close();
                  }
                  PodGarbageCollector gc = podGc;
                  if (gc != null) {
                    gc.close();
                  }
                  io.fabric8.kubernetes.client.KubernetesClient client = kubeletClient;
                  if (client != null) {
                    client.close();
                  }
                  parts.close();
                  stopped.countDown();
                },
                "local-stack-stop"));

    kafka.createCotenantTopics(partitions);
    DATABASES.forEach(postgres::createDatabase);
    long nodesT0 = System.nanoTime();
    kubernetes.addNodes(nodes);
    long nodesMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nodesT0);
    String simulated = "no kubelets";
    if (!noKubelets) {
      long kubeletsT0 = System.nanoTime();
      SimulatedKubelets started;
      try {
        kubeletClient = kubeletClient(kubernetes);
        started = SimulatedKubelets.start(kubeletClient, nodes, truth, settings);
      } catch (Exception e) {
        System.err.println("local-stack: the simulated kubelets did not start: " + e);
        e.printStackTrace();
        return 1;
      }
      simulation = started;
      simulated =
          String.format(
              "%d simulated kubelets at %sx, DCGM exporters on %s (ready in %d ms), truth %s",
              nodes.size(),
              speed,
              started.stats().loopbackAddresses()
                  ? "127.100.x.y:" + dcgmPort
                  : "127.0.0.1:" + dcgmPort + "+node",
              TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - kubeletsT0),
              truth.source());
    }
    if (kubeletClient == null) {
      kubeletClient = kubeletClient(kubernetes);
    }
    podGc = PodGarbageCollector.start(kubeletClient, terminatedPodGcThreshold).orElse(null);
    HttpServer status = statusServer(kafka, postgres, kubernetes);
    status.start();

    System.out.printf(
        "local-stack ready in %d ms: kafka %s, postgres 127.0.0.1:%d (%s), kubernetes %s (%d nodes"
            + " registered in %d ms; %s), status http://127.0.0.1:%d/health%n",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0),
        kafka.bootstrapServers(),
        postgresPort,
        String.join(", ", DATABASES),
        kubernetes.url(),
        nodes.size(),
        nodesMillis,
        simulated,
        statusPort);
    stopped.await();
    return 0;
  }

  private HttpServer statusServer(
      KafkaBroker kafka, PostgresServer postgres, KubernetesApiServer kubernetes)
      throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), statusPort), 8);
    server.createContext(
        "/health",
        exchange -> {
          // The MicroProfile Health shape, so one reader (HealthProbe) serves stack and services.
          ObjectNode body = JSON.createObjectNode();
          ArrayNode checks = body.putArray("checks");
          boolean kafkaUp = check(() -> kafka.topicNames().size() >= 0);
          boolean postgresUp =
              check(
                  () -> {
                    try (Connection c = postgres.connect("postgres")) {
                      return c.isValid(2);
                    }
                  });
          boolean kubeUp = check(() -> kubernetes.client().getKubernetesVersion() != null);
          check(checks, "kafka", kafkaUp, kafka.bootstrapServers());
          check(checks, "postgres", postgresUp, "postgresql://127.0.0.1:" + postgres.port());
          check(checks, "kubernetes", kubeUp, kubernetes.url());
          if (simulation != null) {
            check(checks, "kubelets", true, "http://127.0.0.1:" + statusPort + "/kubelets");
          }
          boolean up = kafkaUp && postgresUp && kubeUp;
          body.put("status", up ? "UP" : "DOWN");
          respond(exchange, up ? 200 : 503, body.toString());
        });
    server.createContext("/kubelets", this::kubelets);
    server.createContext("/nodes/", this::nodeControl);
    return server;
  }

  /** {@code GET /kubelets}: what the simulated kubelets did so far, as JSON. */
  private void kubelets(HttpExchange exchange) throws IOException {
    if (simulation == null) {
      respond(exchange, 404, "{\"message\":\"no simulated kubelets\"}");
      return;
    }
    respond(exchange, 200, JSON.writeValueAsString(simulation.stats()));
  }

  /**
   * {@code POST /nodes/NAME/down} and {@code …/up}: the node dies (its pods fail, it turns
   * NotReady) or comes back; {@code ./cotenant node} calls these.
   */
  private void nodeControl(HttpExchange exchange) throws IOException {
    String[] parts = exchange.getRequestURI().getPath().split("/");
    if (!"POST".equals(exchange.getRequestMethod()) || parts.length != 4) {
      respond(exchange, 405, "{\"message\":\"POST /nodes/NAME/down or /nodes/NAME/up\"}");
      return;
    }
    if (simulation == null) {
      respond(exchange, 409, "{\"message\":\"the stack runs no simulated kubelets\"}");
      return;
    }
    String node = parts[2];
    String action = parts[3];
    if (!action.equals("down") && !action.equals("up")) {
      respond(exchange, 404, "{\"message\":\"POST /nodes/NAME/down or /nodes/NAME/up\"}");
      return;
    }
    boolean known = action.equals("down") ? simulation.nodeDown(node) : simulation.nodeUp(node);
    respond(
        exchange,
        known ? 200 : 404,
        known
            ? JSON.createObjectNode().put("node", node).put("state", action).toString()
            : JSON.createObjectNode().put("message", "no node " + node).toString());
  }

  private static void check(ArrayNode checks, String name, boolean up, String url) {
    ObjectNode check = checks.addObject().put("name", name).put("status", up ? "UP" : "DOWN");
    check.putObject("data").put("url", url);
  }

  private static boolean check(Callable<Boolean> probe) {
    try {
      return probe.call();
    } catch (Exception e) {
      return false;
    }
  }

  private static void respond(HttpExchange exchange, int code, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
