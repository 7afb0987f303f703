package dev.cotenant.localstack.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.cotenant.interference.AppInfo;
import dev.cotenant.interference.InterferenceMatrix;
import dev.cotenant.interference.MatrixModel;
import dev.cotenant.interference.PairEntry;
import dev.cotenant.localstack.Binder;
import dev.cotenant.localstack.dcgm.DcgmExporters;
import dev.cotenant.sim.SimConfig;
import dev.cotenant.sim.cluster.NodeSpec;
import dev.cotenant.testsupport.KubernetesApiServer;
import dev.cotenant.testsupport.Ports;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The simulated kubelets and exporters against the embedded API, driven with a real fabric8 client
 * as any scheduler and monitor would: create a pod, POST its Binding, watch its status, find the
 * exporters through their Endpoints and scrape them. At 200x: a 20 s start is 100 ms, 40 s of work
 * 200 ms.
 */
class SimulatedKubeletsTest {
  static final double SPEED = 200;
  static final List<NodeSpec> NODES =
      List.of(
          new NodeSpec("gpu-a", 8000, 65536, 2, "P100", 16384),
          new NodeSpec("gpu-b", 8000, 65536, 2, "P100", 16384),
          new NodeSpec("gpu-c", 8000, 65536, 1, "P100", 16384),
          new NodeSpec("cpu-d", 4000, 16384, 0, "", 0));
  static final GroundTruth TRUTH =
      new GroundTruth(
          new MatrixModel(
              new InterferenceMatrix(
                  "p100",
                  List.of(
                      new AppInfo(
                          "a",
                          OptionalDouble.empty(),
                          OptionalDouble.of(3000),
                          OptionalDouble.of(60),
                          OptionalDouble.empty()),
                      AppInfo.named("b")),
                  List.of(PairEntry.measured("a", "b", 0.5), PairEntry.measured("b", "a", 0.5)))),
          Map.of("a", 40.0, "b", 40.0),
          300,
          "test");

  static KubernetesApiServer api;
  static KubernetesClient client;
  static SimulatedKubelets kubelets;

  @BeforeAll
  static void start() throws Exception {
    api = KubernetesApiServer.startEphemeral();
    api.addNodes(NODES);
    client = api.client();
    kubelets =
        SimulatedKubelets.start(
            client,
            NODES,
            TRUTH,
            new SimulatedKubelets.Settings(SPEED, new SimConfig(60, 2), 0, Ports.free(), 4));
    assertThat(kubelets.awaitSynced(10, TimeUnit.SECONDS)).isTrue();
  }

  @AfterAll
  static void stop() {
    if (kubelets != null) {
      kubelets.close();
    }
    if (api != null) {
      api.close();
    }
  }

  @Test
  void aBoundPodRunsAndFinishesWithAKubeletsStatusSequenceAndTimestamps() throws Exception {
    String uuid = KubernetesApiServer.gpuUuids(NODES.get(0)).get(1);
    create(pod("t1", "solo-0", "a", Map.of("cotenant.dev/gpu-uuid", uuid), 1));
    List<String> phases = Collections.synchronizedList(new ArrayList<>());
    try (Watch watch = watchPhases("t1", "solo-0", phases)) {
      bind("t1", "solo-0", "gpu-a");
      Pod done = await("t1", "solo-0", p -> phase(p).equals("Succeeded"));
      poll(() -> dedupe(phases), seen -> seen.contains("Succeeded")); // the watch's last event

      assertThat(dedupe(phases))
          .as(phases.toString())
          .containsSubsequence("Pending", "Running", "Succeeded");
      var status = done.getStatus();
      assertThat(status.getHostIP()).isEqualTo(kubelets.node("gpu-a").orElseThrow().hostIp());
      assertThat(status.getPodIP()).startsWith("10.0.0.");
      Map<String, PodCondition> conditions = new LinkedHashMap<>();
      status.getConditions().forEach(c -> conditions.put(c.getType(), c));
      assertThat(conditions)
          .containsOnlyKeys("PodScheduled", "Initialized", "ContainersReady", "Ready");
      assertThat(conditions.get("Ready").getStatus()).isEqualTo("False");
      assertThat(conditions.get("Ready").getReason()).isEqualTo("PodCompleted");
      ContainerStateTerminated ended =
          status.getContainerStatuses().get(0).getState().getTerminated();
      assertThat(ended.getReason()).isEqualTo("Completed");
      assertThat(ended.getExitCode()).isZero();
      Instant admitted = Instant.parse(status.getStartTime());
      Instant started = Instant.parse(ended.getStartedAt());
      Instant finished = Instant.parse(ended.getFinishedAt());
      // A 60 s start and 40 s alone at 200x: 300 ms, then 200 ms.
      assertThat(millis(admitted, started)).isCloseTo(300, within(40.0));
      assertThat(millis(started, finished)).isCloseTo(200, within(40.0));
    }
  }

  @Test
  void twoPodsPinnedToOneCardSlowEachOtherByTheGroundTruth() throws Exception {
    List<String> cards = KubernetesApiServer.gpuUuids(NODES.get(1));
    Map<String, String> card0 =
        Map.of(
            "cotenant.dev/gpu-uuid",
            cards.get(0),
            "cotenant.dev/gpu-milli",
            "500",
            "cotenant.dev/gpu-memory-mib",
            "4000");
    create(pod("t2", "x", "a", card0, 0));
    create(pod("t2", "y", "b", card0, 0));
    create(pod("t2", "z", "a", Map.of("cotenant.dev/gpu-uuid", cards.get(1)), 1));
    bind("t2", "x", "gpu-b");
    bind("t2", "y", "gpu-b");
    bind("t2", "z", "gpu-b");
    Pod x = await("t2", "x", p -> phase(p).equals("Succeeded"));
    Pod y = await("t2", "y", p -> phase(p).equals("Succeeded"));
    Pod z = await("t2", "z", p -> phase(p).equals("Succeeded"));
    // 40 s alone is 200 ms at 200x. Beside each other both keep half their rate, so each pod's
    // work is its time alone + half its time beside the other: 200 ms, however its start and the
    // other's fell (the timestamps are the simulator's, in ms).
    double[] rx = run(x);
    double[] ry = run(y);
    double overlap = Math.max(0, Math.min(rx[1], ry[1]) - Math.max(rx[0], ry[0]));
    assertThat(overlap).as("they ran side by side").isGreaterThan(150);
    assertThat(rx[1] - rx[0] - overlap + 0.5 * overlap).isCloseTo(200, within(5.0));
    assertThat(ry[1] - ry[0] - overlap + 0.5 * overlap).isCloseTo(200, within(5.0));
    assertThat(runMillis(z)).isCloseTo(200, within(5.0));
  }

  /** Its container's start and end, in epoch ms. */
  static double[] run(Pod pod) {
    ContainerStateTerminated t =
        pod.getStatus().getContainerStatuses().get(0).getState().getTerminated();
    return new double[] {
      Instant.parse(t.getStartedAt()).toEpochMilli(),
      Instant.parse(t.getFinishedAt()).toEpochMilli()
    };
  }

  @Test
  void anOverCommittedCardOomKillsAndAnUnpinnedGpuPodGetsAFreeCard() throws Exception {
    Map<String, String> card0 = Map.of("cotenant.dev/gpu-index", "0");
    // first runs 1 s (200 s at 200x), long enough for second to start beside it.
    create(
        pod(
            "t3",
            "first",
            "a",
            Map.of("cotenant.dev/gpu-index", "0", "sim.cotenant.dev/solo-seconds", "200"),
            1));
    bind("t3", "first", "gpu-a");
    await("t3", "first", p -> phase(p).equals("Running"));
    create(pod("t3", "second", "b", card0, 1));
    create(pod("t3", "free", "b", Map.of(), 1));
    bind("t3", "second", "gpu-a");
    bind("t3", "free", "gpu-a");

    Pod killed = await("t3", "second", p -> phase(p).equals("Failed"));
    ContainerStateTerminated t =
        killed.getStatus().getContainerStatuses().get(0).getState().getTerminated();
    assertThat(t.getReason()).isEqualTo("OOMKilled");
    assertThat(t.getExitCode()).isEqualTo(137);
    assertThat(phase(await("t3", "first", p -> phase(p).equals("Succeeded"))))
        .isEqualTo("Succeeded");
    assertThat(phase(await("t3", "free", p -> phase(p).equals("Succeeded"))))
        .isEqualTo("Succeeded");
  }

  @Test
  void aNodeTakenDownFailsItsPodsTurnsNotReadyAndComesBack() throws Exception {
    create(pod("t4", "long", "a", Map.of("sim.cotenant.dev/solo-seconds", "100000"), 1));
    bind("t4", "long", "gpu-c");
    await("t4", "long", p -> phase(p).equals("Running"));
    assertThat(
            client
                .leases()
                .inNamespace("kube-node-lease")
                .withName("gpu-c")
                .get()
                .getSpec()
                .getHolderIdentity())
        .isEqualTo("gpu-c");
    String exporter = exporterUrl("gpu-c");
    assertThat(scrape(exporter)).contains("pod=\"long\"");

    assertThat(kubelets.nodeDown("gpu-c")).isTrue();

    Pod lost = await("t4", "long", p -> phase(p).equals("Failed"));
    assertThat(lost.getStatus().getReason()).isEqualTo("NodeLost");
    assertThat(
            lost.getStatus().getContainerStatuses().get(0).getState().getTerminated().getReason())
        .isEqualTo("ContainerStatusUnknown");
    Node node = client.nodes().withName("gpu-c").get();
    assertThat(ready(node).getStatus()).isEqualTo("Unknown");
    assertThat(node.getSpec().getTaints())
        .extracting(taint -> taint.getKey() + ":" + taint.getEffect())
        .contains(
            "node.kubernetes.io/unreachable:NoSchedule",
            "node.kubernetes.io/unreachable:NoExecute");
    assertThat(notReady()).extracting(EndpointAddress::getNodeName).contains("gpu-c");
    assertThatThrownBy(() -> scrape(exporter)).isInstanceOf(IOException.class);

    assertThat(kubelets.nodeUp("gpu-c")).isTrue();
    Node back = client.nodes().withName("gpu-c").get();
    assertThat(ready(back).getStatus()).isEqualTo("True");
    assertThat(back.getSpec().getTaints()).isEmpty();
    assertThat(scrape(exporter)).doesNotContain("pod=\"long\"");
    assertThat(kubelets.nodeDown("no-such-node")).isFalse();
  }

  @Test
  void theExportersAreFoundThroughTheirEndpointsAndShowWhatRunsOnEachCard() throws Exception {
    String uuid0 = KubernetesApiServer.gpuUuids(NODES.get(0)).get(0);
    Map<String, String> long0 =
        Map.of(
            "cotenant.dev/gpu-uuid",
            uuid0,
            "cotenant.dev/gpu-milli",
            "500",
            "cotenant.dev/gpu-memory-mib",
            "4000",
            "sim.cotenant.dev/solo-seconds",
            "100000");
    create(pod("t5", "p", "a", long0, 0));
    create(pod("t5", "q", "b", Map.of("sim.cotenant.dev/solo-seconds", "100000"), 1));
    bind("t5", "p", "gpu-a");
    bind("t5", "q", "gpu-a");
    await("t5", "p", pod -> phase(pod).equals("Running"));
    await("t5", "q", pod -> phase(pod).equals("Running"));

    assertThat(
            client
                .services()
                .inNamespace(DcgmExporters.NAMESPACE)
                .withName(DcgmExporters.SERVICE)
                .get())
        .isNotNull();
    Endpoints endpoints =
        client
            .endpoints()
            .inNamespace(DcgmExporters.NAMESPACE)
            .withName(DcgmExporters.SERVICE)
            .get();
    assertThat(endpoints.getSubsets().stream().flatMap(s -> s.getAddresses().stream()))
        .extracting(EndpointAddress::getNodeName)
        .contains("gpu-a", "gpu-b")
        .doesNotContain("cpu-d");
    String page = scrape(exporterUrl("gpu-a"));
    String card0 = "gpu=\"0\",UUID=\"" + uuid0 + "\"";
    // a alone on card 0: its profile, 60% and 3000 MiB; b on the free card 1, whole card reserved.
    assertThat(page)
        .containsPattern(
            "DCGM_FI_DEV_GPU_UTIL\\{"
                + card0
                + "[^}]*Hostname=\"gpu-a\"[^}]*,container=\"main\",namespace=\"t5\",pod=\"p\"\\} 60\n")
        .containsPattern("DCGM_FI_DEV_FB_USED\\{" + card0 + "[^}]*pod=\"p\"\\} 3000\n")
        .containsPattern("DCGM_FI_DEV_FB_FREE\\{" + card0 + "[^}]*pod=\"p\"\\} 13384\n")
        .containsPattern(
            "DCGM_FI_DEV_GPU_UTIL\\{gpu=\"1\"[^}]*namespace=\"t5\",pod=\"q\"\\} 100\n");

    client.pods().inNamespace("t5").withName("p").delete();
    client.pods().inNamespace("t5").withName("q").delete();
    String after = poll(() -> scrape(exporterUrl("gpu-a")), s -> !s.contains("namespace=\"t5\""));
    assertThat(after).containsPattern("DCGM_FI_DEV_GPU_UTIL\\{" + card0 + "[^}]*\"\\} 0\n");
  }

  // --- helpers: what any client of the API would do ---

  static Pod pod(String ns, String name, String app, Map<String, String> annotations, int gpus) {
    Map<String, Quantity> limits = new LinkedHashMap<>();
    limits.put("cpu", new Quantity("500m"));
    if (gpus > 0) {
      limits.put("nvidia.com/gpu", new Quantity(String.valueOf(gpus)));
    }
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(ns)
        .addToLabels("cotenant.dev/app", app)
        .withAnnotations(annotations)
        .endMetadata()
        .withNewSpec()
        .withSchedulerName("cotenant")
        .withRestartPolicy("Never")
        .addNewContainer()
        .withName("main")
        .withImage("ghcr.io/acme/" + app + ":1")
        .withNewResources()
        .withLimits(limits)
        .endResources()
        .endContainer()
        .endSpec()
        .build();
  }

  static void create(Pod pod) {
    client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).create();
  }

  /** As kube-scheduler binds: POST a Binding naming the node to the pod's binding subresource. */
  static void bind(String ns, String pod, String node) throws Exception {
    assertThat(Binder.bind(HttpClient.newHttpClient(), api.url(), ns, pod, node)).isEqualTo(201);
  }

  static Watch watchPhases(String ns, String name, List<String> phases) {
    return client
        .pods()
        .inNamespace(ns)
        .withName(name)
        .watch(
            new Watcher<>() {
              @Override
              public void eventReceived(Action action, Pod pod) {
                phases.add(phase(pod));
              }

              @Override
              public void onClose(WatcherException cause) {}
            });
  }

  static List<String> dedupe(List<String> phases) {
    List<String> out = new ArrayList<>();
    synchronized (phases) {
      for (String p : phases) {
        if (!p.isEmpty() && (out.isEmpty() || !out.get(out.size() - 1).equals(p))) {
          out.add(p);
        }
      }
    }
    return out;
  }

  static String phase(Pod pod) {
    return pod == null || pod.getStatus() == null || pod.getStatus().getPhase() == null
        ? ""
        : pod.getStatus().getPhase();
  }

  static Pod await(String ns, String name, Predicate<Pod> until) throws Exception {
    return poll(
        () -> client.pods().inNamespace(ns).withName(name).get(), p -> p != null && until.test(p));
  }

  interface Probe<T> {
    T get() throws Exception;
  }

  static <T> T poll(Probe<T> probe, Predicate<T> until) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    T last = null;
    while (System.nanoTime() < deadline) {
      last = probe.get();
      if (until.test(last)) {
        return last;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("timed out; last seen: " + last);
  }

  static double runMillis(Pod pod) {
    ContainerStateTerminated t =
        pod.getStatus().getContainerStatuses().get(0).getState().getTerminated();
    return millis(Instant.parse(t.getStartedAt()), Instant.parse(t.getFinishedAt()));
  }

  static double millis(Instant from, Instant to) {
    return Duration.between(from, to).toNanos() / 1e6;
  }

  static NodeCondition ready(Node node) {
    return node.getStatus().getConditions().stream()
        .filter(c -> c.getType().equals("Ready"))
        .findFirst()
        .orElseThrow();
  }

  static List<EndpointAddress> notReady() {
    Endpoints e =
        client
            .endpoints()
            .inNamespace(DcgmExporters.NAMESPACE)
            .withName(DcgmExporters.SERVICE)
            .get();
    List<EndpointAddress> out = new ArrayList<>();
    e.getSubsets().forEach(s -> out.addAll(s.getNotReadyAddresses()));
    return out;
  }

  /** The exporter's URL as a monitor finds it: its Endpoints' address for the node, and port. */
  static String exporterUrl(String node) {
    Endpoints e =
        client
            .endpoints()
            .inNamespace(DcgmExporters.NAMESPACE)
            .withName(DcgmExporters.SERVICE)
            .get();
    for (var subset : e.getSubsets()) {
      List<EndpointAddress> all = new ArrayList<>(subset.getAddresses());
      all.addAll(subset.getNotReadyAddresses());
      for (EndpointAddress a : all) {
        if (node.equals(a.getNodeName())) {
          return "http://" + a.getIp() + ":" + subset.getPorts().get(0).getPort() + "/metrics";
        }
      }
    }
    throw new AssertionError("no exporter endpoint for " + node);
  }

  static String scrape(String url) throws IOException, InterruptedException {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
    return response.body();
  }
}
