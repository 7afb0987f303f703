package dev.cotenant.localstack.kubelet;

import dev.cotenant.localstack.dcgm.DcgmExporters;
import dev.cotenant.sim.SimConfig;
import dev.cotenant.sim.cluster.NodeSpec;
import dev.cotenant.testsupport.KubernetesApiServer;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The simulated kubelets and DCGM exporters of the embedded cluster, wired to the Kubernetes API:
 * one pod watch for all nodes feeds each node's {@link NodeKubelet}, a ticker runs them ({@link
 * SimulatedCluster}), a {@link StatusWriter} posts pod statuses, a {@link NodeAgent} node statuses
 * and Leases, and {@link DcgmExporters} serve the cards' metrics.
 *
 * <p>One watch over every pod, filtered in memory by {@code spec.nodeName}: a real kubelet watches
 * only its own pods through that field selector, which the embedded API may not answer, and one
 * watch serves a thousand nodes more cheaply than a thousand. A plain watch rather than an
 * informer: each kubelet keeps what it needs of its pods, where an informer's cache would hold a
 * second copy of every pod object in this JVM, beside the API's own. Without a resourceVersion the
 * watch begins with an ADDED event for every pod there is, as a list would.
 */
public final class SimulatedKubelets implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(SimulatedKubelets.class.getName());

  /**
   * @param speed simulated seconds per wall second
   * @param starts start latency and parallel starts per node
   * @param imagePullSeconds simulated seconds a node spends pulling an image new to it
   * @param dcgmPort the exporters' port (each node on its own loopback address), or the first of
   *     one port per node
   * @param writerThreads threads writing pod statuses
   */
  public record Settings(
      double speed, SimConfig starts, double imagePullSeconds, int dcgmPort, int writerThreads) {

    /** Seed 000's starts: one at a time per node, 59 s for 29 gaps. */
    public static final SimConfig SEED000_STARTS = new SimConfig(59.0 / 29, 1);

    public Settings {
      if (!(speed > 0) || Double.isInfinite(speed)) {
        throw new IllegalArgumentException("--speed must be a positive number, got " + speed);
      }
      if (!(imagePullSeconds >= 0) || Double.isInfinite(imagePullSeconds)) {
        throw new IllegalArgumentException(
            "--image-pull-seconds must be a finite number >= 0, got " + imagePullSeconds);
      }
    }
  }

  /** What the kubelets did so far, for the status endpoint and the load figures. */
  public record Stats(
      int nodes,
      int nodesDown,
      int pods,
      int runningPods,
      long statusWrites,
      long statusWriteFailures,
      int statusBacklog,
      long writeLagP50Millis,
      long writeLagP99Millis,
      long tickLagP99Millis,
      boolean loopbackAddresses) {}

  private final SimulatedCluster cluster;
  private final StatusWriter writer;
  private final NodeAgent agent;
  private final DcgmExporters exporters;
  private final KubernetesClient client;
  private final boolean aliases;
  private volatile Watch watch;
  private volatile boolean open = true;

  private SimulatedKubelets(
      KubernetesClient client,
      SimulatedCluster cluster,
      StatusWriter writer,
      NodeAgent agent,
      DcgmExporters exporters,
      boolean aliases) {
    this.client = client;
    this.cluster = cluster;
    this.writer = writer;
    this.agent = agent;
    this.exporters = exporters;
    this.aliases = aliases;
    watchPods();
  }

  /** Starts a kubelet and (for GPU nodes) an exporter per node; the nodes exist in the API. */
  public static SimulatedKubelets start(
      KubernetesClient client, List<NodeSpec> nodes, GroundTruth truth, Settings settings)
      throws Exception {
    boolean aliases = DcgmExporters.loopbackAliases();
    WallClock wall = WallClock.system();
    Map<String, Node> existing = new HashMap<>();
    client.nodes().list().getItems().forEach(n -> existing.put(n.getMetadata().getName(), n));
    List<NodeKubelet> kubelets = new ArrayList<>();
    Map<String, InetSocketAddress> addresses = new LinkedHashMap<>();
    for (int i = 0; i < nodes.size(); i++) {
      NodeSpec spec = nodes.get(i);
      InetSocketAddress address = DcgmExporters.address(i, settings.dcgmPort(), aliases);
      addresses.put(spec.name(), address);
      kubelets.add(
          new NodeKubelet(
              spec,
              i,
              address.getHostString(),
              gpuUuids(spec, existing.get(spec.name())),
              truth,
              settings.starts(),
              settings.speed(),
              settings.imagePullSeconds(),
              wall));
    }
    StatusWriter writer = new StatusWriter(client, settings.writerThreads());
    SimulatedCluster cluster = new SimulatedCluster(kubelets, writer::submit);
    NodeAgent agent = new NodeAgent(client, kubelets, settings.speed());
    DcgmExporters exporters = null;
    try {
      Map<String, String> uids = new HashMap<>();
      existing.forEach((name, node) -> uids.put(name, node.getMetadata().getUid()));
      agent.start(settings.writerThreads(), uids);
      exporters = DcgmExporters.start(client, truth, kubelets, addresses);
      return new SimulatedKubelets(client, cluster, writer, agent, exporters, aliases);
    } catch (Exception | Error e) {
      if (exporters != null) {
        exporters.close();
      }
      agent.close();
      cluster.close();
      writer.close();
      throw e;
    }
  }

  /**
   * The UUIDs the node object lists (as its device plugin registered them), else the stable ones.
   */
  private static List<String> gpuUuids(NodeSpec spec, Node node) {
    String listed =
        node == null || node.getMetadata().getAnnotations() == null
            ? null
            : node.getMetadata().getAnnotations().get(KubernetesApiServer.GPU_UUIDS_ANNOTATION);
    if (listed != null && listed.split(",").length == spec.numGpu()) {
      return Arrays.asList(listed.split(","));
    }
    return KubernetesApiServer.gpuUuids(spec);
  }

  /** Watches every pod again: at the start, and after the API closed the watch. */
  private void watchPods() {
    if (open) {
      watch = client.pods().inAnyNamespace().watch(new PodWatcher());
    }
  }

  /** Whether the pod watch is open (it is from the start; this waits for a reopened one). */
  public boolean awaitSynced(long timeout, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    while (watch == null) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }

  public List<NodeKubelet> kubelets() {
    return cluster.kubelets();
  }

  public Optional<NodeKubelet> node(String name) {
    return cluster.node(name);
  }

  public DcgmExporters exporters() {
    return exporters;
  }

  /** Takes a node down as if it died; false when no node has that name. */
  public boolean nodeDown(String name) {
    Optional<NodeKubelet> node = cluster.node(name);
    if (node.isEmpty()) {
      return false;
    }
    boolean wasReady = node.get().ready();
    cluster.down(name);
    if (wasReady) {
      agent.down(node.get());
      exporters.refresh();
    }
    return true;
  }

  public boolean nodeUp(String name) {
    Optional<NodeKubelet> node = cluster.node(name);
    if (node.isEmpty()) {
      return false;
    }
    boolean wasReady = node.get().ready();
    cluster.up(name);
    if (!wasReady) {
      agent.up(node.get());
      exporters.refresh();
    }
    return true;
  }

  public Stats stats() {
    int pods = 0;
    int running = 0;
    int down = 0;
    for (NodeKubelet node : cluster.kubelets()) {
      int[] counts = node.podCounts();
      pods += counts[0];
      running += counts[1];
      down += node.ready() ? 0 : 1;
    }
    return new Stats(
        cluster.kubelets().size(),
        down,
        pods,
        running,
        writer.written(),
        writer.failed(),
        writer.backlog(),
        writer.lag().quantileMillis(0.5),
        writer.lag().quantileMillis(0.99),
        cluster.tickLag().quantileMillis(0.99),
        aliases);
  }

  private final class PodWatcher implements Watcher<Pod> {
    @Override
    public void eventReceived(Action action, Pod pod) {
      switch (action) {
        case ADDED, MODIFIED -> consider(pod);
        case DELETED ->
            PodReader.node(pod).ifPresent(node -> cluster.remove(node, PodReader.uid(pod)));
        default -> {
          // ERROR and BOOKMARK carry no pod
        }
      }
    }

    @Override
    public void onClose(WatcherException cause) {
      // fabric8 retries a broken watch itself; this is a watch it gave up on (say, 410 Gone).
      LOG.warning("pod watch closed (" + cause.getMessage() + "); watching again");
      watch = null;
      watchPods();
    }

    private void consider(Pod pod) {
      Optional<String> node = PodReader.node(pod);
      if (node.isEmpty() || !cluster.manages(node.get())) {
        return;
      }
      if (PodReader.deleting(pod)) {
        cluster.remove(node.get(), PodReader.uid(pod));
      } else if (!PodReader.ended(pod)) {
        cluster.admit(PodReader.read(pod, node.get()));
      }
    }
  }

  @Override
  public void close() {
    open = false;
    Watch current = watch;
    if (current != null) {
      current.close();
    }
    exporters.close();
    agent.close();
    cluster.close();
    writer.close();
  }
}
