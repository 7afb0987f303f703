package dev.cotenant.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cotenant.events.CotenantEvent;
import dev.cotenant.events.EventDeserializer;
import dev.cotenant.events.EventExamples;
import dev.cotenant.events.EventSerializer;
import dev.cotenant.events.Topics;
import dev.cotenant.testsupport.PostgresServer;
import dev.cotenant.testsupport.ZipkinCollector;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole local run as a user gets it: the packaged local stack and the four packaged services
 * started by the launcher on free ports, real traffic through them, then a clean stop.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalRunIT {
  private static Path home;
  private static LaunchPorts ports;
  private static StackLauncher launcher;
  private static ZipkinCollector zipkin;
  private static String tracedJob;
  private static final List<Long> pids = new ArrayList<>();

  @BeforeAll
  static void up() throws Exception {
    home = ItStack.home("cotenant-it");
    ports = ItStack.freePorts();
    zipkin = new ZipkinCollector();
    launcher =
        new StackLauncher(
            Path.of(System.getProperty("cotenant.root", "../..")),
            home,
            ports,
            Optional.of(zipkin.endpoint()));
    long t0 = System.nanoTime();
    List<StackLauncher.Status> status = launcher.up(Duration.ofSeconds(180));
    System.out.printf(
        "local run healthy in %.1f s; RSS KiB %s%n",
        (System.nanoTime() - t0) / 1e9, launcher.residentKib());
    assertThat(status).allSatisfy(line -> assertThat(line.up()).as(line.toString()).isTrue());
    try (Stream<Path> files = Files.list(home.resolve("run"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".pid")).toList()) {
        pids.add(Long.parseLong(Files.readString(file).trim()));
      }
    }
  }

  @AfterAll
  static void down() {
    if (launcher != null) {
      launcher.down(); // also on failure: never leave processes behind
    }
    if (zipkin != null) {
      zipkin.close();
    }
  }

  @Test
  @Order(1)
  void statusShowsTheStackAndFourServicesUp() {
    assertThat(launcher.status())
        .extracting(StackLauncher.Status::name)
        .containsExactly(
            "kafka", "postgres", "kubernetes", "job-api", "placement", "monitor", "profiler");
    assertThat(launcher.status()).allMatch(StackLauncher.Status::up);
    assertThat(pids).hasSize(6); // local-stack, postgres and four services
  }

  @Test
  @Order(2)
  void secondUpIsANoOp() throws Exception {
    Map<String, String> before = pidFiles();
    launcher.up(Duration.ofSeconds(30));
    assertThat(pidFiles()).isEqualTo(before);
  }

  @Test
  @Order(3)
  void oneEventOfEachTypeTravelsThroughTheBrokerWithTheSharedSerde() throws Exception {
    String bootstrap = "127.0.0.1:" + ports.get("kafka");
    List<CotenantEvent> sent = EventExamples.oneOfEach();
    Map<String, Object> producerConfig = new HashMap<>();
    producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
    producerConfig.put(EventSerializer.SOURCE_CONFIG, "/it");
    try (var producer =
        new KafkaProducer<>(producerConfig, new StringSerializer(), new EventSerializer())) {
      for (CotenantEvent event : sent) {
        producer.send(new ProducerRecord<>(event.type().topic(), event.key(), event)).get();
      }
    }
    // The running services answer some of these (the profiler publishes profiles after a
    // PodFinished): only the events sent here are compared.
    java.util.Set<String> sentIds = new java.util.HashSet<>();
    sent.forEach(e -> sentIds.add(e.eventId()));
    Map<String, CotenantEvent> received = new HashMap<>();
    try (var consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "local-run-it",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
            new StringDeserializer(),
            new EventDeserializer())) {
      consumer.subscribe(Topics.ALL);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (received.size() < sent.size() && System.nanoTime() < deadline) {
        consumer
            .poll(Duration.ofMillis(250))
            .forEach(
                r -> {
                  if (sentIds.contains(r.value().eventId())) {
                    received.put(r.value().eventId(), r.value());
                  }
                });
      }
    }
    assertThat(received.values()).containsExactlyInAnyOrderElementsOf(sent);
  }

  @Test
  @Order(4)
  void topicsDatabasesAndGpuNodesAreProvisioned() throws Exception {
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + ports.get("kafka")))) {
      assertThat(admin.listTopics().names().get()).containsAll(Topics.ALL);
      var profiles = new ConfigResource(ConfigResource.Type.TOPIC, Topics.PROFILES);
      assertThat(
              admin
                  .describeConfigs(List.of(profiles))
                  .all()
                  .get()
                  .get(profiles)
                  .get("cleanup.policy")
                  .value())
          .isEqualTo("compact");
    }
    for (String database : List.of("job_api", "placement", "monitor", "profiler")) {
      try (var connection =
          DriverManager.getConnection(
              "jdbc:postgresql://127.0.0.1:" + ports.get("postgres") + "/" + database,
              PostgresServer.USER,
              PostgresServer.PASSWORD)) {
        assertThat(connection.isValid(2)).as(database).isTrue();
      }
    }
    Config config =
        new ConfigBuilder().withMasterUrl("http://127.0.0.1:" + ports.get("kube")).build();
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
      var gpuNode = client.nodes().withName("seed001-gpu").get();
      assertThat(gpuNode.getStatus().getCapacity().get("nvidia.com/gpu"))
          .isEqualTo(new Quantity("4"));
      assertThat(client.nodes().list().getItems()).hasSize(2);
    }
  }

  @Test
  @Order(4)
  void kubectlListsTheGpuNodesThroughTheKubeconfigUpWrote() throws Exception {
    Path kubeconfig = home.resolve("kubeconfig");
    assertThat(launcher.environment()).containsEntry("KUBECONFIG", kubeconfig.toString());
    assertThat(Files.readString(kubeconfig))
        .contains("server: http://127.0.0.1:" + ports.get("kube"))
        .contains("current-context: cotenant");
    Optional<Path> kubectl =
        Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
            .filter(dir -> !dir.isEmpty())
            .map(dir -> Path.of(dir, "kubectl"))
            .filter(Files::isExecutable)
            .findFirst();
    if (kubectl.isEmpty()) {
      System.out.println("kubectl is not on the PATH: kubectl get nodes not checked");
      return;
    }
    Path out = Files.createTempFile(home, "kubectl", ".out");
    Process process =
        new ProcessBuilder(
                kubectl.get().toString(),
                "--kubeconfig",
                kubeconfig.toString(),
                "--cache-dir",
                home.resolve("kubectl-cache").toString(),
                "get",
                "nodes")
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    assertThat(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    List<String> lines = Files.readAllLines(out);
    assertThat(process.exitValue()).as(String.join("\n", lines)).isZero();
    assertThat(lines.get(0)).matches("NAME\\s+STATUS\\s+ROLES\\s+AGE\\s+VERSION\\s*");
    assertThat(lines)
        .anyMatch(line -> line.matches("seed001-gpu\\s+Ready\\s.*"))
        .anyMatch(line -> line.startsWith("seed000-worker "));
  }

  @Test
  @Order(4)
  void jobApiAcceptsADevTokenAndRefusesRequestsWithoutOne() throws Exception {
    var http = java.net.http.HttpClient.newHttpClient();
    var jobs = java.net.URI.create("http://127.0.0.1:" + ports.get("job-api") + "/api/v1/jobs");
    String token = new DevTokens(home).token("it", false, Duration.ofMinutes(5));
    String job =
        "{\"name\":\"it-job\",\"image\":\"acme/resnet50:1\","
            + "\"resources\":{\"cpuMilli\":1000,\"memoryMiB\":512}}";
    var submitted =
        http.send(
            java.net.http.HttpRequest.newBuilder(jobs)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(job))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
    var anonymous =
        http.send(
            java.net.http.HttpRequest.newBuilder(jobs).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(anonymous.statusCode()).isEqualTo(401);
  }

  @Test
  @Order(4)
  void aJobSubmittedOverRestIsPlacedOnACardBoundRunAndSucceeds() throws Exception {
    var http = java.net.http.HttpClient.newHttpClient();
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    String base = "http://127.0.0.1:" + ports.get("job-api") + "/api/v1/jobs";
    String token = new DevTokens(home).token("e2e", false, Duration.ofMinutes(5));
    String job =
        "{\"name\":\"cnn\",\"image\":\"ghcr.io/acme/cnn:1\",\"resources\":"
            + "{\"cpuMilli\":500,\"memoryMiB\":512,\"gpu\":{\"milli\":100,\"memoryMiB\":1000}}}";
    long t0 = System.nanoTime();
    var submitted =
        http.send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(base))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", "e2e-" + System.nanoTime())
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(job))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
    String id = json.readTree(submitted.body()).path("id").asText();
    tracedJob = id;
    var get =
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/" + id))
            .header("Authorization", "Bearer " + token)
            .build();
    com.fasterxml.jackson.databind.JsonNode view = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      view =
          json.readTree(http.send(get, java.net.http.HttpResponse.BodyHandlers.ofString()).body());
      if (!view.path("pods").isEmpty()
          && !view.path("pods").get(0).path("phase").asText().equals("PLACED")) {
        break;
      }
      Thread.sleep(20);
    }
    System.out.printf("submit → PLACED with its card: %.0f ms%n", (System.nanoTime() - t0) / 1e6);
    // Bound, and maybe already started by the simulated kubelet.
    assertThat(view.path("status").asText()).isIn("PLACED", "RUNNING", "SUCCEEDED");
    var pod = view.path("pods").get(0);
    assertThat(pod.path("node").asText()).isEqualTo("seed001-gpu");
    String uuid = pod.path("gpus").get(0).path("uuid").asText();
    assertThat(uuid).startsWith("GPU-");

    Config config =
        new ConfigBuilder().withMasterUrl("http://127.0.0.1:" + ports.get("kube")).build();
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
      var bound = client.pods().inNamespace("e2e").withName(pod.path("pod").asText()).get();
      assertThat(bound.getSpec().getNodeName()).isEqualTo("seed001-gpu");
      assertThat(bound.getSpec().getSchedulerName()).isEqualTo("cotenant");
      assertThat(bound.getMetadata().getAnnotations())
          .containsEntry("cotenant.dev/gpu-uuid", uuid)
          .containsEntry("nvidia.com/use-gpuuuid", uuid);
    }
    // The simulated kubelet runs it (300 s alone at 100x) and reports it ended.
    deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline && !view.path("status").asText().equals("SUCCEEDED")) {
      Thread.sleep(100);
      view =
          json.readTree(http.send(get, java.net.http.HttpResponse.BodyHandlers.ofString()).body());
    }
    assertThat(view.path("status").asText()).isEqualTo("SUCCEEDED");
  }

  @Test
  @Order(5)
  void theJobsTraceRunsFromJobApiThroughPlacementAndTheMonitorToTheProfiler() throws Exception {
    assertThat(tracedJob).as("the end-to-end job ran first").isNotNull();
    Duration wait = Duration.ofSeconds(30);
    ZipkinCollector.Span schedule =
        zipkin
            .await(
                s ->
                    s.name().equals("placement.schedule")
                        && s.tag("cotenant.job.id").equals(tracedJob),
                wait)
            .orElseThrow(() -> new AssertionError("no placement span; got " + zipkin.spans()));
    String trace = schedule.traceId();
    ZipkinCollector.Span submit =
        zipkin
            .await(s -> s.traceId().equals(trace) && s.id().equals(schedule.parentId()), wait)
            .orElseThrow(() -> new AssertionError("placement's parent is not in the trace"));
    assertThat(submit.service()).isEqualTo("job-api");
    assertThat(submit.kind()).isEqualTo("SERVER");
    assertThat(submit.name()).isEqualToIgnoringCase("POST /api/v1/jobs"); // Zipkin lowercases names
    assertThat(schedule.service()).isEqualTo("placement");
    assertThat(schedule.tag("k8s.node.name")).isEqualTo("seed001-gpu");
    assertThat(schedule.tag("cotenant.gpu")).matches("seed001-gpu/[0-3]");
    assertThat(schedule.tag("cotenant.policy")).isNotBlank();
    assertThat(schedule.tag("cotenant.tenant")).isEqualTo("e2e");
    for (String write : List.of("kubernetes.create-pods", "kubernetes.bind")) {
      assertThat(
              zipkin.await(s -> s.name().equals(write) && s.parentId().equals(schedule.id()), wait))
          .as(write + " under placement.schedule")
          .isPresent();
    }
    ZipkinCollector.Span finished =
        zipkin
            .await(
                s -> s.name().equals("monitor.pod-finished") && s.parentId().equals(schedule.id()),
                wait)
            .orElseThrow(() -> new AssertionError("no monitor span under placement's"));
    assertThat(finished.service()).isEqualTo("monitor");
    assertThat(finished.tag("cotenant.outcome")).isEqualTo("SUCCEEDED");
    assertThat(
            zipkin.await(
                s -> s.name().equals("monitor.pod-started") && s.parentId().equals(schedule.id()),
                wait))
        .isPresent();
    ZipkinCollector.Span observed =
        zipkin
            .await(
                s -> s.name().equals("profiler.observe") && s.parentId().equals(finished.id()),
                wait)
            .orElseThrow(() -> new AssertionError("no profiler span under the monitor's"));
    assertThat(observed.service()).isEqualTo("profiler");
    assertThat(observed.traceId()).isEqualTo(trace);
    assertThat(zipkin.malformed()).isZero();
  }

  @Test
  @Order(6)
  void downStopsEveryProcessItStartedAndNothingElse() {
    List<String> stopped = launcher.down();
    // PostgreSQL stops with the stack; down only names it when it had to stop an orphan.
    assertThat(stopped)
        .containsExactlyInAnyOrder("profiler", "monitor", "placement", "job-api", "local-stack");
    assertThat(pids)
        .allSatisfy(
            pid ->
                assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive))
                    .as("pid " + pid)
                    .isEmpty());
    assertThat(launcher.status()).noneMatch(StackLauncher.Status::up);
    assertThat(ProcessHandle.current().isAlive()).isTrue();
  }

  @Test
  @Order(7)
  void restartKeepsItsDataAndComesUpHealthy() throws Exception {
    assertThat(launcher.up(Duration.ofSeconds(180))).allMatch(StackLauncher.Status::up);
    // The events sent before the restart are still on the broker: its log directory was reused.
    try (var consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + ports.get("kafka"),
                ConsumerConfig.GROUP_ID_CONFIG, "local-run-it-after-restart",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
            new StringDeserializer(),
            new EventDeserializer())) {
      consumer.subscribe(List.of(Topics.JOB_SUBMISSIONS));
      List<CotenantEvent> kept = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (kept.isEmpty() && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(250)).forEach(r -> kept.add(r.value()));
      }
      assertThat(kept).extracting(e -> e.type().topic()).contains(Topics.JOB_SUBMISSIONS);
    }
  }

  private static Map<String, String> pidFiles() throws Exception {
    Map<String, String> files = new HashMap<>();
    try (Stream<Path> list = Files.list(home.resolve("run"))) {
      for (Path file : list.filter(f -> f.toString().endsWith(".pid")).toList()) {
        files.put(file.getFileName().toString(), Files.readString(file));
      }
    }
    return files;
  }
}
