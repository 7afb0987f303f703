package dev.cotenant.localstack.kubelet;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The node side of the simulated kubelets: each node's status (conditions with heartbeats,
 * addresses, node info, pod CIDR) and its Lease in {@code kube-node-lease}, renewed every 10 s as a
 * kubelet does. A node taken down stops renewing and shows what the node lifecycle controller makes
 * of a silent kubelet: Ready {@code Unknown} (NotReady in kubectl) and the {@code
 * node.kubernetes.io/unreachable} taints. Heartbeats run on wall time, not simulated time.
 */
final class NodeAgent implements AutoCloseable {
  static final String LEASE_NAMESPACE = "kube-node-lease";
  static final String SPEED_ANNOTATION = "sim.cotenant.dev/speed";
  static final String KUBELET_VERSION = "v1.32.0-cotenant-sim";
  static final int LEASE_SECONDS = 40;
  static final int RENEW_SECONDS = 10;

  /** A node reports its status even unchanged this often (the kubelet's default, 5 min). */
  static final int REPORT_SECONDS = 300;

  private static final Logger LOG = Logger.getLogger(NodeAgent.class.getName());
  private static final DateTimeFormatter MICRO =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  private final KubernetesClient client;
  private final List<NodeKubelet> nodes;
  private final double speed;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "kubelet-heartbeat");
            t.setDaemon(true);
            return t;
          });
  private final AtomicLong ticks = new AtomicLong();
  private final Map<String, Boolean> lastAlive = new ConcurrentHashMap<>();
  private final Map<String, Instant> since = new ConcurrentHashMap<>();

  NodeAgent(KubernetesClient client, List<NodeKubelet> nodes, double speed) {
    this.client = client;
    this.nodes = nodes;
    this.speed = speed;
  }

  /**
   * Posts every node's status and Lease (on {@code threads} threads), then starts heartbeats.
   * {@code uids}: the node objects' uids, for the Leases' owner references.
   */
  void start(int threads, Map<String, String> uids) {
    ensureNamespace(LEASE_NAMESPACE);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<CompletableFuture<Void>> all = new ArrayList<>();
      for (NodeKubelet node : nodes) {
        all.add(
            CompletableFuture.runAsync(() -> register(node, uids.get(node.spec().name())), pool));
      }
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
    } finally {
      pool.shutdown();
    }
    // Once a second, a tenth of the nodes renew: each every 10 s, spread evenly.
    timer.scheduleAtFixedRate(this::heartbeat, 1, 1, TimeUnit.SECONDS);
  }

  void ensureNamespace(String name) {
    if (client.namespaces().withName(name).get() == null) {
      client
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
          .create();
    }
  }

  private void register(NodeKubelet node, String uid) {
    String name = node.spec().name();
    client
        .nodes()
        .withName(name)
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"metadata\":{\"annotations\":{\""
                + SPEED_ANNOTATION
                + "\":\""
                + speed
                + "\"}},\"spec\":{\"podCIDR\":\""
                + node.podCidr()
                + "\",\"podCIDRs\":[\""
                + node.podCidr()
                + "\"]}}");
    postStatus(node, true, Instant.now());
    client
        .leases()
        .inNamespace(LEASE_NAMESPACE)
        .resource(
            new LeaseBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(LEASE_NAMESPACE)
                .addNewOwnerReference()
                .withApiVersion("v1")
                .withKind("Node")
                .withName(name)
                .withUid(uid)
                .endOwnerReference()
                .endMetadata()
                .withNewSpec()
                .withHolderIdentity(name)
                .withLeaseDurationSeconds(LEASE_SECONDS)
                .withRenewTime(ZonedDateTime.now(ZoneOffset.UTC))
                .endSpec()
                .build())
        .createOr(op -> op.update());
  }

  private void heartbeat() {
    long tick = ticks.incrementAndGet();
    Instant now = Instant.now();
    for (int i = 0; i < nodes.size(); i++) {
      NodeKubelet node = nodes.get(i);
      if (!node.ready()) {
        continue; // a dead kubelet posts nothing
      }
      try {
        if ((i + tick) % RENEW_SECONDS == 0) {
          client
              .leases()
              .inNamespace(LEASE_NAMESPACE)
              .withName(node.spec().name())
              .patch(
                  PatchContext.of(PatchType.JSON_MERGE),
                  "{\"spec\":{\"renewTime\":\"" + MICRO.format(now) + "\"}}");
        }
        if ((i + tick) % REPORT_SECONDS == 0) {
          postStatus(node, true, now);
        }
      } catch (KubernetesClientException e) {
        LOG.log(Level.FINE, "heartbeat of " + node.spec().name() + " failed", e);
      }
    }
  }

  /** The node went down: NotReady (Unknown, as for a silent kubelet) and unreachable taints. */
  void down(NodeKubelet node) {
    postStatus(node, false, Instant.now());
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    client
        .nodes()
        .withName(node.spec().name())
        .edit(
            n -> {
              List<Taint> taints = new ArrayList<>(taintsOf(n));
              taints.removeIf(t -> t.getKey().equals(UNREACHABLE));
              taints.add(
                  new TaintBuilder()
                      .withKey(UNREACHABLE)
                      .withEffect("NoSchedule")
                      .withTimeAdded(now)
                      .build());
              taints.add(
                  new TaintBuilder()
                      .withKey(UNREACHABLE)
                      .withEffect("NoExecute")
                      .withTimeAdded(now)
                      .build());
              return new NodeBuilder(n).editOrNewSpec().withTaints(taints).endSpec().build();
            });
  }

  void up(NodeKubelet node) {
    client
        .nodes()
        .withName(node.spec().name())
        .edit(
            n -> {
              List<Taint> taints = new ArrayList<>(taintsOf(n));
              taints.removeIf(t -> t.getKey().equals(UNREACHABLE));
              return new NodeBuilder(n).editOrNewSpec().withTaints(taints).endSpec().build();
            });
    postStatus(node, true, Instant.now());
  }

  static final String UNREACHABLE = "node.kubernetes.io/unreachable";

  private static List<Taint> taintsOf(Node n) {
    return n.getSpec() == null || n.getSpec().getTaints() == null
        ? List.of()
        : n.getSpec().getTaints();
  }

  private void postStatus(NodeKubelet node, boolean alive, Instant now) {
    String name = node.spec().name();
    if (!Boolean.valueOf(alive).equals(lastAlive.put(name, alive))) {
      since.put(name, now);
    }
    NodeStatus status =
        new NodeStatusBuilder()
            .withConditions(conditions(alive, now, since.getOrDefault(name, now)))
            .withAddresses(
                new NodeAddress(node.hostIp(), "InternalIP"), new NodeAddress(name, "Hostname"))
            .withNewNodeInfo()
            .withArchitecture("amd64")
            .withOperatingSystem("linux")
            .withOsImage("Cotenant simulated node")
            .withKernelVersion("6.1.0-sim")
            .withKubeletVersion(KUBELET_VERSION)
            .withKubeProxyVersion(KUBELET_VERSION)
            .withContainerRuntimeVersion("containerd://1.7.0-sim")
            .withMachineID(name)
            .withSystemUUID(name)
            .withBootID(name)
            .endNodeInfo()
            .withNewDaemonEndpoints()
            .withNewKubeletEndpoint()
            .withPort(10250)
            .endKubeletEndpoint()
            .endDaemonEndpoints()
            .build();
    // A JSON Patch of the kubelet's own fields; capacity and allocatable stay as registered.
    var json = client.getKubernetesSerialization();
    String patch =
        "[{\"op\":\"add\",\"path\":\"/status/conditions\",\"value\":"
            + json.asJson(status.getConditions())
            + "},{\"op\":\"add\",\"path\":\"/status/addresses\",\"value\":"
            + json.asJson(status.getAddresses())
            + "},{\"op\":\"add\",\"path\":\"/status/nodeInfo\",\"value\":"
            + json.asJson(status.getNodeInfo())
            + "},{\"op\":\"add\",\"path\":\"/status/daemonEndpoints\",\"value\":"
            + json.asJson(status.getDaemonEndpoints())
            + "}]";
    client
        .nodes()
        .withName(name)
        .subresource("status")
        .patch(PatchContext.of(PatchType.JSON), patch);
  }

  /**
   * The four conditions a kubelet posts, all Unknown once it is silent. {@code since}: when the
   * node last went up or down.
   */
  static List<NodeCondition> conditions(boolean alive, Instant now, Instant since) {
    String at = now.truncatedTo(ChronoUnit.SECONDS).toString();
    String changed = since.truncatedTo(ChronoUnit.SECONDS).toString();
    String[][] pressures = {
      {"MemoryPressure", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"},
      {"DiskPressure", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"},
      {"PIDPressure", "KubeletHasSufficientPID", "kubelet has sufficient PID available"},
      {"Ready", "KubeletReady", "kubelet is posting ready status"}
    };
    List<NodeCondition> conditions = new ArrayList<>();
    for (String[] p : pressures) {
      String healthy = p[0].equals("Ready") ? "True" : "False";
      conditions.add(
          new NodeConditionBuilder()
              .withType(p[0])
              .withStatus(alive ? healthy : "Unknown")
              .withReason(alive ? p[1] : "NodeStatusUnknown")
              .withMessage(alive ? p[2] : "Kubelet stopped posting node status.")
              .withLastHeartbeatTime(at)
              .withLastTransitionTime(changed)
              .build());
    }
    return conditions;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
