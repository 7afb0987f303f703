package dev.cotenant.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cotenant.events.CoTenant;
import dev.cotenant.events.CotenantEvent;
import dev.cotenant.events.EventJson;
import dev.cotenant.events.GpuRef;
import dev.cotenant.events.GpuSample;
import dev.cotenant.events.JobEvent;
import dev.cotenant.events.PodFinished;
import dev.cotenant.events.PodStarted;
import dev.cotenant.events.Topics;
import dev.cotenant.monitor.kubernetes.ClusterWatch;
import dev.cotenant.monitor.lifecycle.EventIds;
import dev.cotenant.monitor.lifecycle.LifecycleTracker;
import dev.cotenant.monitor.support.FakeExporter;
import dev.cotenant.monitor.support.Kubelet;
import dev.cotenant.monitor.support.MonitorTestResource;
import dev.cotenant.sim.cluster.NodeSpec;
import dev.cotenant.testsupport.EventLog;
import dev.cotenant.testsupport.KubernetesApiServer;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The monitor against the real broker and the embedded Kubernetes API, the tests acting as the
 * kubelet (pod status) and as dcgm-exporters (HTTP). Each test has its own nodes and namespace.
 */
@QuarkusTest
@WithTestResource(MonitorTestResource.class)
class MonitorFlowTest {
  static final Duration WAIT = Duration.ofSeconds(30);
  static EventLog log;
  static FakeExporter staticExporter;
  static FakeExporter discoveredExporter;

  @TestHTTPResource("/api/v1/targets")
  URL targets;

  @BeforeAll
  static void start() {
    log = new EventLog(MonitorTestResource.kafka(), Topics.JOB_EVENTS, Topics.GPU_TELEMETRY);
    var config = ConfigProvider.getConfig();
    staticExporter =
        FakeExporter.start(config.getValue(MonitorTestResource.STATIC_PORT, Integer.class));
    discoveredExporter =
        FakeExporter.start(config.getValue(MonitorTestResource.DISCOVERED_PORT, Integer.class));
  }

  @AfterAll
  static void stop() {
    log.close();
    staticExporter.close();
    discoveredExporter.close();
  }

  static Instant t0() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(600);
  }

  static <T extends CotenantEvent> T awaitOne(Class<T> type, String pod) {
    await().atMost(WAIT).until(() -> log.of(type).stream().anyMatch(e -> podOf(e).equals(pod)));
    return log.of(type).stream().filter(e -> podOf(e).equals(pod)).findFirst().get();
  }

  static String podOf(Object e) {
    return e instanceof PodStarted s ? s.pod() : e instanceof PodFinished f ? f.pod() : "";
  }

  static double share(List<CoTenant> coTenants, String pod, CoTenant.Device device) {
    return coTenants.stream()
        .filter(c -> c.pod().equals(pod) && c.device() == device)
        .mapToDouble(CoTenant::share)
        .sum();
  }

  @Test
  void boundPodsStartAndFinishWithTheirCoTenantTimelines() {
    NodeSpec node = Kubelet.gpuNode("mon-gpu-0");
    String ns = "mon-flow";
    Pod a = Kubelet.bound(ns, "flow-a-0", "flow-a", "resnet50", node, 0);
    Pod b = Kubelet.bound(ns, "flow-b-0", "flow-b", "bert", node, 0);
    Pod c = Kubelet.bound(ns, "flow-c-0", "flow-c", "lammps", node, 1);
    Instant t0 = t0();
    Kubelet.running(a, t0);
    Kubelet.running(c, t0);
    awaitOne(PodStarted.class, "flow-c-0");
    Kubelet.running(b, t0.plusSeconds(20));
    PodStarted bStarted = awaitOne(PodStarted.class, "flow-b-0");
    Kubelet.terminated(a, "Succeeded", 0, "Completed", t0, t0.plusSeconds(60));
    awaitOne(PodFinished.class, "flow-a-0");
    Kubelet.terminated(b, "Succeeded", 0, "Completed", t0.plusSeconds(20), t0.plusSeconds(100));
    Kubelet.terminated(c, "Succeeded", 0, "Completed", t0, t0.plusSeconds(100));

    PodStarted aStarted = awaitOne(PodStarted.class, "flow-a-0");
    assertThat(aStarted.eventId()).isEqualTo(EventIds.podStarted(a.getMetadata().getUid()));
    assertThat(aStarted.jobId()).isEqualTo("flow-a");
    assertThat(aStarted.tenant()).isEqualTo(ns);
    assertThat(aStarted.app()).isEqualTo("resnet50");
    assertThat(aStarted.node()).isEqualTo("mon-gpu-0");
    assertThat(aStarted.time()).isEqualTo(t0);
    String uuid0 = KubernetesApiServer.gpuUuids(node).get(0);
    assertThat(aStarted.gpus()).containsExactly(new GpuRef(0, uuid0));
    assertThat(bStarted.coTenants())
        .contains(new CoTenant("resnet50", "flow-a-0", CoTenant.Device.GPU, 1));

    PodFinished aDone = awaitOne(PodFinished.class, "flow-a-0");
    assertThat(aDone.eventId()).isEqualTo(EventIds.podFinished(a.getMetadata().getUid()));
    assertThat(aDone.outcome()).isEqualTo(PodFinished.Outcome.SUCCEEDED);
    assertThat(aDone.exitCode()).hasValue(0);
    assertThat(aDone.startedAt()).isEqualTo(t0);
    assertThat(aDone.time()).isEqualTo(t0.plusSeconds(60));
    assertThat(aDone.runSeconds()).isEqualTo(60);
    assertThat(share(aDone.coTenants(), "flow-b-0", CoTenant.Device.GPU))
        .isCloseTo(40 / 60.0, within(1e-9));
    assertThat(share(aDone.coTenants(), "flow-c-0", CoTenant.Device.GPU)).isZero();
    assertThat(share(aDone.coTenants(), "flow-c-0", CoTenant.Device.CPU)).isEqualTo(1.0);

    PodFinished bDone = awaitOne(PodFinished.class, "flow-b-0");
    assertThat(bDone.runSeconds()).isEqualTo(80);
    assertThat(share(bDone.coTenants(), "flow-a-0", CoTenant.Device.GPU)).isEqualTo(0.5);
    PodFinished cDone = awaitOne(PodFinished.class, "flow-c-0");
    assertThat(share(cDone.coTenants(), "flow-a-0", CoTenant.Device.CPU)).isEqualTo(0.6);
    assertThat(share(cDone.coTenants(), "flow-b-0", CoTenant.Device.CPU)).isEqualTo(0.8);

    // Keyed by job id, each transition once.
    assertThat(log.all())
        .filteredOn(s -> s.event() instanceof PodFinished f && f.jobId().equals("flow-a"))
        .singleElement()
        .satisfies(s -> assertThat(s.key()).isEqualTo("flow-a"));
    assertThat(log.of(PodStarted.class)).filteredOn(s -> s.pod().equals("flow-b-0")).hasSize(1);
  }

  @Test
  void anOomKilledContainerIsOomKilledAndAForeignPodIsReportedUnderItsNamespace() {
    NodeSpec node = Kubelet.gpuNode("mon-gpu-1");
    Pod x = Kubelet.bound("mon-oom", "oom-x-0", "oom-x", "vgg16", node, 2);
    Pod foreign = Kubelet.bound("mon-kubeflow", "trainer", null, "mnist", node, 2);
    Instant t0 = t0();
    Kubelet.running(x, t0);
    Kubelet.running(foreign, t0.plusSeconds(1));
    Kubelet.terminated(x, "Failed", 137, "OOMKilled", t0, t0.plusSeconds(12));

    PodFinished done = awaitOne(PodFinished.class, "oom-x-0");
    assertThat(done.outcome()).isEqualTo(PodFinished.Outcome.OOM_KILLED);
    assertThat(done.exitCode()).hasValue(137);
    assertThat(done.runSeconds()).isEqualTo(12);
    assertThat(done.coTenants())
        .contains(new CoTenant("mnist", "trainer", CoTenant.Device.GPU, 11 / 12.0));

    PodStarted started = awaitOne(PodStarted.class, "trainer");
    assertThat(started.jobId()).isEqualTo("mon-kubeflow/trainer");
    assertThat(started.tenant()).isEqualTo("mon-kubeflow");
    assertThat(started.app()).isEqualTo("mnist");
  }

  @Test
  void podsOfANodeTakenDownAreEvicted() {
    NodeSpec node = Kubelet.gpuNode("mon-gpu-2");
    String ns = "mon-down";
    Pod p1 = Kubelet.bound(ns, "down-1-0", "down-1", "resnet50", node, 0);
    Pod p2 = Kubelet.bound(ns, "down-2-0", "down-2", "bert", node, 1);
    Pod p3 = Kubelet.bound(ns, "down-3-0", "down-3", "bert", node, 3);
    Instant t0 = t0();
    for (Pod p : List.of(p1, p2, p3)) {
      Kubelet.running(p, t0);
    }
    awaitOne(PodStarted.class, "down-3-0");
    Kubelet.nodeReady(node.name(), false);
    await()
        .atMost(WAIT)
        .until(() -> service.tracker().node(node.name()).map(n -> !n.ready()).orElse(false));
    Kubelet.failedWithNode(p1, "");
    Kubelet.failedWithNode(p2, "NodeLost");
    Kubelet.kube().pods().inNamespace(ns).withName("down-3-0").delete();

    for (String pod : List.of("down-1-0", "down-2-0", "down-3-0")) {
      PodFinished f = awaitOne(PodFinished.class, pod);
      assertThat(f.outcome()).as(pod).isEqualTo(PodFinished.Outcome.EVICTED);
      assertThat(f.exitCode()).as(pod).isEmpty();
      assertThat(f.node()).isEqualTo(node.name());
    }
  }

  @jakarta.inject.Inject dev.cotenant.monitor.service.MonitorService service;

  static String exposition(String hostnameLabel, String host, String pod) {
    StringBuilder out = new StringBuilder();
    out.append("# HELP DCGM_FI_DEV_GPU_UTIL GPU utilization (in %).\n");
    out.append("# TYPE DCGM_FI_DEV_GPU_UTIL gauge\n");
    for (int gpu = 0; gpu < 2; gpu++) {
      String labels =
          "gpu=\""
              + gpu
              + "\",UUID=\"GPU-test-"
              + gpu
              + "\",pci_bus_id=\"00000000:3"
              + gpu
              + ":00.0\",device=\"nvidia"
              + gpu
              + "\",modelName=\"Tesla P100-PCIE-16GB\","
              + hostnameLabel
              + "=\""
              + host
              + "\",DCGM_FI_DRIVER_VERSION=\"550.54.15\"";
      String pods =
          gpu == 0 && pod != null
              ? ",container=\"main\",namespace=\"default\",pod=\"" + pod + "\""
              : ",container=\"\",namespace=\"\",pod=\"\"";
      out.append("DCGM_FI_DEV_GPU_UTIL{")
          .append(labels)
          .append(pods)
          .append("} ")
          .append(40 + gpu)
          .append('\n');
      out.append("DCGM_FI_DEV_MEM_COPY_UTIL{").append(labels).append(pods).append("} 12\n");
      out.append("DCGM_FI_DEV_FB_USED{").append(labels).append(pods).append("} 4000\n");
      out.append("DCGM_FI_DEV_FB_FREE{").append(labels).append(pods).append("} 12280\n");
      out.append("DCGM_FI_DEV_POWER_USAGE{").append(labels).append(pods).append("} 120.5\n");
      out.append("DCGM_FI_DEV_MEMORY_TEMP{")
          .append(labels)
          .append(pods)
          .append("} 9223372036854775794\n");
    }
    return out.toString();
  }

  JsonNode target(String url) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(targets.toURI()).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    for (JsonNode t : EventJson.mapper().readTree(response.body())) {
      if (t.get("url").asText().equals(url)) {
        return t;
      }
    }
    return null;
  }

  static List<GpuSample> samplesOf(String node) {
    return log.of(GpuSample.class).stream().filter(s -> s.node().equals(node)).toList();
  }

  @Test
  void aStaticExporterIsScrapedUntilItDiesThenItIsStaleAndNothingIsPublished() throws Exception {
    String node = MonitorTestResource.STATIC_NODE;
    staticExporter.serve(exposition("Hostname", "ignored-for-static", "notebook-7"));
    await().atMost(WAIT).until(() -> samplesOf(node).size() >= 6);
    GpuSample s = samplesOf(node).stream().filter(x -> x.gpu().index() == 0).findFirst().get();
    assertThat(s.gpu()).isEqualTo(new GpuRef(0, "GPU-test-0"));
    assertThat(s.model()).isEqualTo("Tesla P100-PCIE-16GB");
    assertThat(s.utilizationPercent()).isEqualTo(40);
    // No SM activity in the default counters: GPU utilisation stands in; DRAM from memory copy.
    assertThat(s.smActivity()).isCloseTo(0.40, within(1e-12));
    assertThat(s.dramActivity()).isCloseTo(0.12, within(1e-12));
    assertThat(s.memoryUsedMiB()).isEqualTo(4000);
    assertThat(s.memoryTotalMiB()).isEqualTo(16_280);
    assertThat(s.pods()).containsExactly("notebook-7");
    assertThat(log.all())
        .filteredOn(x -> x.event() instanceof GpuSample g && g.node().equals(node))
        .allSatisfy(x -> assertThat(x.key()).isEqualTo(node));
    String url =
        "http://127.0.0.1:"
            + ConfigProvider.getConfig().getValue(MonitorTestResource.STATIC_PORT, String.class)
            + "/metrics";
    assertThat(target(url).get("state").asText()).isEqualTo("UP");

    staticExporter.close();
    Instant died = Instant.now();
    await().atMost(WAIT).until(() -> target(url).get("state").asText().equals("STALE"));
    int published = samplesOf(node).size();
    Thread.sleep(1_000);
    assertThat(samplesOf(node)).hasSize(published);
    assertThat(samplesOf(node)).allSatisfy(x -> assertThat(x.time()).isBefore(died));
    assertThat(target(url).get("lastError").asText()).isNotEmpty();
  }

  @Test
  void anExporterFoundThroughItsEndpointsReportsForItsNode() {
    String node = "mon-disc";
    NodeSpec spec = Kubelet.gpuNode(node);
    int port =
        ConfigProvider.getConfig().getValue(MonitorTestResource.DISCOVERED_PORT, Integer.class);
    // Before dcgm-exporter read NODE_NAME its Hostname label was the exporter pod's name.
    discoveredExporter.serve(exposition("Hostname", "nvidia-dcgm-exporter-x7k2p", null));
    Kubelet.kube()
        .endpoints()
        .inNamespace(MonitorTestResource.EXPORTER_NAMESPACE)
        .resource(
            new EndpointsBuilder()
                .withNewMetadata()
                .withName("nvidia-dcgm-exporter")
                .withNamespace(MonitorTestResource.EXPORTER_NAMESPACE)
                .endMetadata()
                .addNewSubset()
                .addNewAddress()
                .withIp("127.0.0.1")
                .withNodeName(node)
                .endAddress()
                .addNewPort()
                .withName("gpu-metrics")
                .withPort(port)
                .endPort()
                .endSubset()
                .build())
        .create();
    // A pod the lifecycle knows on card 1, which the exporter does not attribute.
    Pod pod = Kubelet.bound("mon-disc", "disc-0", "disc", "cnn", spec, 1);
    Kubelet.running(pod, t0());
    awaitOne(PodStarted.class, "disc-0");
    await()
        .atMost(WAIT)
        .until(
            () ->
                samplesOf(node).stream()
                    .anyMatch(s -> s.gpu().index() == 1 && s.pods().contains("disc-0")));
    assertThat(samplesOf(node)).allSatisfy(s -> assertThat(s.node()).isEqualTo(node));
    assertThat(samplesOf("nvidia-dcgm-exporter-x7k2p")).isEmpty();
    assertThat(Optional.ofNullable(samplesOf(node).get(0).gpu().uuid()))
        .hasValue("GPU-test-" + samplesOf(node).get(0).gpu().index());
  }

  @Test
  void aFreshMonitorOverTheSameClusterReannouncesTheSameIdsAndNothingNew() {
    NodeSpec node = Kubelet.gpuNode("mon-gpu-3");
    String ns = "mon-restart";
    Pod done = Kubelet.bound(ns, "restart-a-0", "restart-a", "resnet50", node, 0);
    Pod running = Kubelet.bound(ns, "restart-b-0", "restart-b", "bert", node, 0);
    Instant t0 = t0();
    Kubelet.running(done, t0);
    Kubelet.running(running, t0.plusSeconds(10));
    Kubelet.terminated(done, "Succeeded", 0, "Completed", t0, t0.plusSeconds(30));
    PodFinished published = awaitOne(PodFinished.class, "restart-a-0");
    awaitOne(PodStarted.class, "restart-b-0");

    // What a restarted monitor does: list the cluster through its informers and replay it.
    List<JobEvent> again = new java.util.concurrent.CopyOnWriteArrayList<>();
    LifecycleTracker fresh =
        new LifecycleTracker(
            Clock.systemUTC(), Duration.ofHours(24), Duration.ofHours(24), (e, t) -> again.add(e));
    try (ClusterWatch watch =
        new ClusterWatch(Kubelet.kube(), fresh, Set.of("kube-system"), java.util.Map.of())) {
      watch.start(WAIT);
    }
    assertThat(again).filteredOn(e -> e.jobId().startsWith("restart-")).hasSize(3);
    assertThat(again).filteredOn(PodFinished.class::isInstance).contains(published);
    // Every id it emits is one the running monitor published: nothing new, so nothing doubled.
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(again.stream().map(CotenantEvent::eventId).toList())
                    .isSubsetOf(log.all().stream().map(x -> x.event().eventId()).toList()));
  }
}
