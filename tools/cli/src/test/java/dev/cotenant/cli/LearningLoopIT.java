package dev.cotenant.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cotenant.events.CotenantEvent;
import dev.cotenant.events.PodFinished;
import dev.cotenant.events.Topics;
import dev.cotenant.interference.AppInfo;
import dev.cotenant.interference.InterferenceFile;
import dev.cotenant.interference.InterferenceMatrix;
import dev.cotenant.interference.PairEntry;
import dev.cotenant.testsupport.EventTopics;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The learning loop with nothing in between but the running services: pods of seed 001's four apps
 * run alone and in pairs on the simulated cluster, whose kubelets slow them down by seed 001's
 * hidden ground truth; the monitor sees only their Kubernetes statuses and the DCGM exporters, the
 * profiler only the monitor's events. What the profiler then serves must be that truth, within the
 * uncertainty it states.
 *
 * <p>Each experiment has a node of its own with one card and CPU to spare, so the only slowdown in
 * a run is its GPU co-tenant's: the profiler learns GPU pairs, and a node whose CPU is
 * oversubscribed would slow runs in a way it does not model (see services/profiler's README).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LearningLoopIT {
  /** Simulated seconds of every run alone (3 wall seconds at the stack's speed of 100). */
  private static final int SOLO_SECONDS = 300;

  /** Runs per experiment: one run of a pair leaves its posterior above the measured bound. */
  private static final int REPEATS = 2;

  /** Memory of the cluster's one TITAN Xp per node. */
  private static final int CARD_MIB = 12288;

  private static final String NAMESPACE = "learn";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Path home;
  private static LaunchPorts ports;
  private static StackLauncher launcher;
  private static KubernetesClient kube;

  @BeforeAll
  static void up() throws Exception {
    home = ItStack.home("cotenant-learn");
    Path cluster = home.resolve("learning-cluster.csv");
    StringBuilder csv =
        new StringBuilder("name,cpu_milli,memory_mib,num_gpu,gpu_model,gpu_memory_mib\n");
    for (int i = 1; i <= 8; i++) {
      csv.append("learn-gpu-")
          .append(i)
          .append(",32000,65536,1,TITAN-Xp,")
          .append(CARD_MIB)
          .append('\n');
    }
    Files.writeString(cluster, csv);
    ports = ItStack.freePorts();
    launcher =
        new StackLauncher(
            Path.of(System.getProperty("cotenant.root", "../..")),
            home,
            ports,
            Optional.empty(),
            Optional.of(cluster));
    assertThat(launcher.up(Duration.ofSeconds(180))).allMatch(StackLauncher.Status::up);
    kube =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder()
                    .withMasterUrl("http://127.0.0.1:" + ports.get("kube"))
                    .withAutoConfigure(false)
                    .build())
            .build();
  }

  @AfterAll
  static void down() {
    if (kube != null) {
      kube.close();
    }
    if (launcher != null) {
      launcher.down(); // also on failure: never leave processes behind
    }
  }

  @Test
  @Order(1)
  void theProfilerFedOnlyByTheMonitorLearnsTheHiddenTruthWithinItsStatedUncertainty()
      throws Exception {
    InterferenceMatrix truth = seed001Truth();
    List<String> apps = truth.apps().stream().map(AppInfo::name).sorted().toList();
    List<List<String>> experiments = new ArrayList<>();
    for (int r = 0; r < REPEATS; r++) {
      apps.forEach(app -> experiments.add(List.of(app)));
      for (int i = 0; i < apps.size(); i++) {
        for (int j = i; j < apps.size(); j++) {
          experiments.add(List.of(apps.get(i), apps.get(j)));
        }
      }
    }
    awaitEveryExporterScraped(8);
    long t0 = System.nanoTime();
    runOnePerNode(experiments, app -> (long) memory(truth, app));
    System.out.printf(
        "%d experiments (%d pods) ran in %.1f s%n",
        experiments.size(),
        experiments.stream().mapToInt(List::size).sum(),
        (System.nanoTime() - t0) / 1e9);

    // Pairs whose apps together need more memory than the card has: one of them is OOM-killed.
    Set<List<String>> overflowing = new java.util.HashSet<>();
    for (String a : apps) {
      for (String b : apps) {
        if (memory(truth, a) + memory(truth, b) > CARD_MIB) {
          overflowing.add(unordered(a, b));
        }
      }
    }
    InterferenceMatrix learned = awaitLearned(truth, overflowing);
    for (PairEntry pair : truth.pairs()) {
      PairEntry got = learned.pair(pair.app(), pair.with()).orElseThrow();
      System.out.printf(
          "%-10s beside %-10s truth %.4f learned %s sd %s runs %d%s%n",
          pair.app(),
          pair.with(),
          pair.normalizedThroughput().orElse(Double.NaN),
          got.normalizedThroughput().isPresent()
              ? String.format("%.4f", got.normalizedThroughput().getAsDouble())
              : "-",
          got.evidence().uncertainty().isPresent()
              ? String.format("%.4f", got.evidence().uncertainty().getAsDouble())
              : "-",
          got.evidence().count(),
          got.incompatible() ? " incompatible" : got.evidence().predicted() ? " predicted" : "");
    }
    double absoluteErrors = 0;
    int measured = 0;
    double worstZ = 0;
    for (PairEntry pair : truth.pairs()) {
      PairEntry got = learned.pair(pair.app(), pair.with()).orElseThrow();
      String name = pair.app() + " beside " + pair.with();
      if (overflowing.contains(unordered(pair.app(), pair.with()))) {
        // The killed side is incompatible; the survivor ran alone after the kill: nothing measured.
        assertThat(got.incompatible() || got.evidence().predicted()).as(name).isTrue();
        continue;
      }
      assertThat(got.evidence().predicted()).as(name + " measured").isFalse();
      assertThat(got.evidence().count()).as(name + " runs").isGreaterThanOrEqualTo(REPEATS);
      double error =
          Math.abs(
              got.normalizedThroughput().orElseThrow() - pair.normalizedThroughput().orElseThrow());
      double sd = got.evidence().uncertainty().orElseThrow();
      // Within two of its own standard deviations: the profiler's 95% interval holds the truth.
      assertThat(error).as(name + " error against the stated sd " + sd).isLessThanOrEqualTo(2 * sd);
      absoluteErrors += error;
      measured++;
      worstZ = Math.max(worstZ, error / sd);
    }
    for (List<String> pair : overflowing) {
      assertThat(
              learned.pair(pair.get(0), pair.get(1)).orElseThrow().incompatible()
                  || learned.pair(pair.get(1), pair.get(0)).orElseThrow().incompatible())
          .as(pair + " overflow the card: one side must be incompatible")
          .isTrue();
    }
    double mae = absoluteErrors / measured;
    System.out.printf(
        "learned %d measured pairs: MAE %.4f, worst error %.2f stated sd%n", measured, mae, worstZ);
    // The predictor's target for pairs it never saw (issue 13) is 0.03; measured ones do better.
    assertThat(mae).isLessThanOrEqualTo(0.03);

    JsonNode profiles = get("/api/v1/profiles");
    for (JsonNode profile : profiles) {
      String app = profile.path("app").asText();
      // 300 simulated seconds at 100 times real time.
      assertThat(profile.path("soloSeconds").asDouble())
          .as(app + " solo seconds")
          .isBetween(2.8, 3.3);
      // Solo telemetry reached the profiler: scraped by the monitor from the card's exporter.
      assertThat(profile.path("telemetry").path("samples").asLong())
          .as(app + " samples")
          .isPositive();
      assertThat(profile.path("telemetry").path("gpuMemoryMiB").asDouble())
          .as(app + " GPU memory seen by DCGM")
          .isCloseTo(memory(truth, app), org.assertj.core.api.Assertions.within(1.0));
    }
    assertThat(profiles).hasSize(apps.size());
  }

  @Test
  @Order(2)
  void nodeDownFailsItsPodsAsALostNodeDoesAndTheMonitorReportsItThenNodeUpBringsItBack()
      throws Exception {
    String node = "learn-gpu-8";
    String name = "long-runner";
    // 100,000 simulated seconds: still running when the node dies.
    kube.pods()
        .inNamespace(NAMESPACE)
        .resource(
            new PodBuilder(pod(name, "tensorflow", 3584, node))
                .editMetadata()
                .addToAnnotations("sim.cotenant.dev/solo-seconds", "100000")
                .endMetadata()
                .build())
        .create();
    awaitPod(name, "Running");

    assertThat(cli("node", "down", node)).isZero();
    awaitPod(name, "Failed");
    assertThat(ready(node)).isNotEqualTo("True");
    List<ConsumerRecord<String, CotenantEvent>> finished =
        EventTopics.read(
            "127.0.0.1:" + ports.get("kafka"),
            Topics.JOB_EVENTS,
            r -> r.value() instanceof PodFinished f && f.pod().equals(name),
            1,
            Duration.ofSeconds(30),
            Duration.ofSeconds(1));
    var event = (PodFinished) finished.get(0).value();
    assertThat(event.node()).isEqualTo(node);
    assertThat(event.outcome()).isIn(PodFinished.Outcome.FAILED, PodFinished.Outcome.EVICTED);
    // A lost node's pod says nothing about its co-tenants: the profiler learns nothing from it.
    assertThat(finished).hasSize(1);

    assertThat(cli("node", "up", node)).isZero();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!"True".equals(ready(node))) {
      assertThat(System.nanoTime()).as(node + " Ready again").isLessThan(deadline);
      Thread.sleep(200);
    }
    assertThat(cli("node", "down", "no-such-node")).isEqualTo(Cotenant.EXIT_FAILED);
    assertThat(cli("node", "sideways", node)).isEqualTo(Cotenant.EXIT_USAGE);
  }

  /** The CLI as a user runs it, against this test's stack. */
  private static int cli(String... args) {
    String before = System.getProperty("cotenant.home");
    System.setProperty("cotenant.home", home.toString());
    try {
      return Cotenant.run(args);
    } finally {
      if (before == null) {
        System.clearProperty("cotenant.home");
      } else {
        System.setProperty("cotenant.home", before);
      }
    }
  }

  private static String ready(String node) {
    return kube.nodes().withName(node).get().getStatus().getConditions().stream()
        .filter(c -> "Ready".equals(c.getType()))
        .map(NodeCondition::getStatus)
        .findFirst()
        .orElse("");
  }

  private static void awaitPod(String name, String phase) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      Pod pod = kube.pods().inNamespace(NAMESPACE).withName(name).get();
      if (pod != null && pod.getStatus() != null && phase.equals(pod.getStatus().getPhase())) {
        return;
      }
      assertThat(System.nanoTime()).as(name + " " + phase).isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  /** The monitor has found every node's DCGM exporter (through the API) and scraped it. */
  private static void awaitEveryExporterScraped(int nodes) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(
                              "http://127.0.0.1:" + ports.get("monitor") + "/api/v1/targets"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      long up = 0;
      if (response.statusCode() == 200) {
        for (JsonNode target : JSON.readTree(response.body())) {
          if ("UP".equals(target.path("state").asText()) && target.path("scrapes").asLong() > 0) {
            up++;
          }
        }
      }
      if (up == nodes) {
        return;
      }
      assertThat(System.nanoTime())
          .as("exporters scraped: " + response.body())
          .isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  /** Keeps every node busy with one experiment at a time until all have ended. */
  private static void runOnePerNode(
      List<List<String>> experiments, java.util.function.ToLongFunction<String> memoryMiB)
      throws InterruptedException {
    kube.namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .create();
    List<String> nodes =
        kube.nodes().list().getItems().stream()
            .map(n -> n.getMetadata().getName())
            .sorted()
            .toList();
    Deque<List<String>> queue = new ArrayDeque<>(experiments);
    Map<String, List<String>> running = new HashMap<>();
    int pods = 0;
    long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
    while (!queue.isEmpty() || !running.isEmpty()) {
      assertThat(System.nanoTime())
          .as("experiments still running: " + running)
          .isLessThan(deadline);
      Map<String, String> phases = new HashMap<>();
      for (Pod pod : kube.pods().inNamespace(NAMESPACE).list().getItems()) {
        phases.put(
            pod.getMetadata().getName(), pod.getStatus() == null ? "" : pod.getStatus().getPhase());
      }
      running
          .values()
          .removeIf(
              names ->
                  names.stream()
                      .allMatch(n -> Set.of("Succeeded", "Failed").contains(phases.get(n))));
      for (String node : nodes) {
        if (running.containsKey(node) || queue.isEmpty()) {
          continue;
        }
        List<String> names = new ArrayList<>();
        for (String app : queue.poll()) {
          String name = app + "-" + ++pods;
          kube.pods()
              .inNamespace(NAMESPACE)
              .resource(pod(name, app, memoryMiB.applyAsLong(app), node))
              .create();
          names.add(name);
        }
        running.put(node, names);
      }
      Thread.sleep(200);
    }
  }

  /**
   * A pod a user binds to a node itself (as {@code kubectl apply} of a pod with {@code nodeName}),
   * asking for half of card 0's time and as much of its memory as it needs (two that need more than
   * the card has: one is OOM-killed), naming its app.
   */
  private static Pod pod(String name, String app, long memoryMiB, String node) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(NAMESPACE)
        .addToLabels("cotenant.dev/app", app)
        .addToAnnotations("cotenant.dev/gpu-index", "0")
        .addToAnnotations("cotenant.dev/gpu-milli", "500")
        .addToAnnotations("cotenant.dev/gpu-memory-mib", String.valueOf(memoryMiB))
        .addToAnnotations("sim.cotenant.dev/solo-seconds", String.valueOf(SOLO_SECONDS))
        .endMetadata()
        .withNewSpec()
        .withNodeName(node)
        .withRestartPolicy("Never")
        .addNewContainer()
        .withName("main")
        .withImage("ghcr.io/acme/" + app + ":1")
        .withNewResources()
        .addToRequests("cpu", new Quantity("4"))
        .addToLimits("cpu", new Quantity("4"))
        .endResources()
        .endContainer()
        .endSpec()
        .build();
  }

  /**
   * The profiler's matrix once every pair that ran is in it: measured from both runs, or
   * incompatible (publication is coalesced, so the last runs may take a moment).
   */
  private static InterferenceMatrix awaitLearned(
      InterferenceMatrix truth, Set<List<String>> overflowing) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      String body = getText("/api/v1/interference");
      InterferenceMatrix learned = InterferenceFile.read(new StringReader(body), "profiler");
      boolean complete =
          truth.pairs().stream()
              .allMatch(
                  p ->
                      learned
                          .pair(p.app(), p.with())
                          .map(
                              got ->
                                  overflowing.contains(unordered(p.app(), p.with()))
                                      || got.evidence().count() >= REPEATS)
                          .orElse(false));
      if (complete || System.nanoTime() > deadline) {
        return learned;
      }
      Thread.sleep(500);
    }
  }

  private static List<String> unordered(String a, String b) {
    return a.compareTo(b) <= 0 ? List.of(a, b) : List.of(b, a);
  }

  private static double memory(InterferenceMatrix truth, String app) {
    return truth.app(app).orElseThrow().gpuMemoryMiB().orElseThrow();
  }

  private static InterferenceMatrix seed001Truth() throws Exception {
    try (var in =
        LearningLoopIT.class.getResourceAsStream(
            "/dev/cotenant/eval/scenarios/seed001/interference.json")) {
      return InterferenceFile.read(
          new InputStreamReader(in, StandardCharsets.UTF_8), "seed001/interference.json");
    }
  }

  private static JsonNode get(String path) throws Exception {
    return JSON.readTree(getText(path));
  }

  private static String getText(String path) throws Exception {
    String token = new DevTokens(home).token("learn", false, Duration.ofMinutes(5));
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + ports.get("profiler") + path))
                    .header("Authorization", "Bearer " + token)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
    return response.body();
  }
}
