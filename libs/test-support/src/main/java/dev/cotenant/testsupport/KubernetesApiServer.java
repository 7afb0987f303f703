package dev.cotenant.testsupport;

import dev.cotenant.events.PodKeys;
import dev.cotenant.sim.cluster.NodeSpec;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

/**
 * The embedded Kubernetes API: fabric8's mock server in CRUD mode (objects are stored, listed,
 * watched and patched like on a real API server) plus the pod Binding subresource a scheduler
 * needs. Real fabric8 clients talk to it over HTTP exactly as they would to a cluster. There are no
 * expectations: the dispatcher is CRUD only, and it finds single objects by key as an API server
 * does rather than by scanning the store ({@link IndexedCrudDispatcher}). In front of it, {@link
 * ApiFrontDispatcher} serves discovery, field selectors and server-side tables, which kubectl needs
 * ({@link Kubeconfig} points it here).
 */
public final class KubernetesApiServer implements AutoCloseable {
  /** Annotation listing a node's GPU UUIDs by index, as a device plugin would register them. */
  public static final String GPU_UUIDS_ANNOTATION = PodKeys.NODE_GPU_UUIDS;

  /** Marks nodes that exist only in the embedded cluster. */
  public static final String SIMULATED_LABEL = "cotenant.dev/simulated";

  /**
   * The mock server logs every request at INFO; health probes alone would flood the logs. Held
   * strongly because java.util.logging forgets the level of a logger nobody references.
   */
  private static final java.util.logging.Logger REQUEST_LOG = quiet("io.fabric8.mockwebserver");

  private final KubernetesMockServer server;
  private final NamespacedKubernetesClient client;
  private final Thread requestDrain;
  private final Set<ApiCall> calls = ConcurrentHashMap.newKeySet();

  private KubernetesApiServer(KubernetesMockServer server) {
    this.server = server;
    this.client = server.createClient();
    this.requestDrain = new Thread(this::drainRecordedRequests, "kube-api-request-drain");
    requestDrain.setDaemon(true);
    requestDrain.start();
  }

  /**
   * fabric8's MockWebServer queues every request it served, body included, for {@code
   * takeRequest()} and never lets go: under a sustained load of writes that filled a 768 MiB heap
   * in two minutes. An API server keeps no such log, so it is emptied as it fills; only the kind of
   * each request is kept ({@link #calls()}), a set of a few dozen entries at most.
   */
  private void drainRecordedRequests() {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        RecordedRequest request = server.takeRequest();
        ApiCall.of(request.getMethod(), request.getPath()).ifPresent(calls::add);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public static KubernetesApiServer startEphemeral() {
    return start(Ports.free());
  }

  /** Starts plain HTTP on 127.0.0.1:{@code port}. */
  public static KubernetesApiServer start(int port) {
    var server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new ApiFrontDispatcher(new BindingAwareDispatcher(), "127.0.0.1:" + port),
            false);
    server.init(InetAddress.getLoopbackAddress(), port);
    return new KubernetesApiServer(server);
  }

  private static java.util.logging.Logger quiet(String name) {
    java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
    logger.setLevel(java.util.logging.Level.WARNING);
    return logger;
  }

  public String url() {
    return "http://127.0.0.1:" + server.getPort();
  }

  public int port() {
    return server.getPort();
  }

  /** A client of this server (for seeding and assertions; services build their own). */
  public KubernetesClient client() {
    return client;
  }

  /**
   * Every kind of call this server has answered since it started or since {@link #resetCalls()}:
   * what a client's RBAC role must allow. Recorded shortly after each answer, so a caller that has
   * just made a request waits for it to appear.
   */
  public Set<ApiCall> calls() {
    return Set.copyOf(calls);
  }

  /**
   * {@link #calls()} once it holds {@code expected} (or after 5 s), and a little later, so that a
   * call beyond them recorded late shows up too.
   */
  public Set<ApiCall> callsOnceSeen(Set<ApiCall> expected) throws InterruptedException {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
    while (!calls.containsAll(expected) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    Thread.sleep(200);
    return calls();
  }

  /** Forgets the calls recorded so far (for example the ones a test made to seed the cluster). */
  public void resetCalls() {
    calls.clear();
  }

  /** Registers one Node object per spec, labelled and sized like a real GPU node. */
  public void addNodes(List<NodeSpec> nodes) {
    nodes.forEach(spec -> client.nodes().resource(toNode(spec)).create());
  }

  /**
   * A Node as the kubelet, the NVIDIA device plugin and GPU feature discovery would publish it:
   * {@code nvidia.com/gpu} capacity and the {@code nvidia.com/gpu.*} product labels.
   */
  public static Node toNode(NodeSpec spec) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("kubernetes.io/hostname", spec.name());
    labels.put("kubernetes.io/os", "linux");
    labels.put(SIMULATED_LABEL, "true");
    Map<String, Quantity> capacity = new LinkedHashMap<>();
    capacity.put("cpu", new Quantity(spec.cpuMilli() + "m"));
    capacity.put("memory", new Quantity(spec.memoryMiB() + "Mi"));
    capacity.put("pods", new Quantity("110"));
    Map<String, String> annotations = new LinkedHashMap<>();
    if (spec.hasGpus()) {
      labels.put("nvidia.com/gpu.present", "true");
      labels.put("nvidia.com/gpu.product", spec.gpuModel());
      labels.put("nvidia.com/gpu.memory", String.valueOf(spec.gpuMemoryMiB()));
      labels.put("nvidia.com/gpu.count", String.valueOf(spec.numGpu()));
      capacity.put("nvidia.com/gpu", new Quantity(String.valueOf(spec.numGpu())));
      annotations.put(GPU_UUIDS_ANNOTATION, String.join(",", gpuUuids(spec)));
    }
    return new NodeBuilder()
        .withNewMetadata()
        .withName(spec.name())
        .withLabels(labels)
        .withAnnotations(annotations)
        .endMetadata()
        .withNewSpec()
        .endSpec()
        .withNewStatus()
        .withCapacity(capacity)
        .withAllocatable(capacity)
        .addNewCondition()
        .withType("Ready")
        .withStatus("True")
        .withReason("KubeletReady")
        .endCondition()
        .addNewAddress()
        .withType("Hostname")
        .withAddress(spec.name())
        .endAddress()
        // What kubectl get nodes shows as VERSION, OS-IMAGE and CONTAINER-RUNTIME.
        .withNewNodeInfo()
        .withKubeletVersion(Discovery.GIT_VERSION)
        .withOperatingSystem("linux")
        .withArchitecture("amd64")
        .withOsImage("Cotenant simulated node")
        .withContainerRuntimeVersion("cotenant-sim://0.1.0")
        .endNodeInfo()
        .endStatus()
        .build();
  }

  /** Stable per node and index, so a restarted embedded cluster pins pods to the same cards. */
  public static List<String> gpuUuids(NodeSpec spec) {
    return IntStream.range(0, spec.numGpu())
        .mapToObj(
            i ->
                "GPU-"
                    + UUID.nameUUIDFromBytes(
                        (spec.name() + "/" + i).getBytes(StandardCharsets.UTF_8)))
        .toList();
  }

  @Override
  public void close() {
    requestDrain.interrupt();
    client.close();
    server.destroy();
  }
}
