package dev.cotenant.placement.state;

import dev.cotenant.placement.model.GpuSlot;
import dev.cotenant.placement.model.NodeInfo;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The cluster's nodes, cards and reserved pods, with the indexes the engine searches, all kept up
 * to date incrementally on every reserve and release so a placement never scans the cluster:
 *
 * <ul>
 *   <li>share classes: cards grouped by {@link CardKey} (every card of a class looks the same to
 *       every filter and score at GPU level), each class ordered by node order then card index;
 *   <li>app groups: cards grouped by tenant apps and exclusivity only ({@link AppGroup}), each in
 *       node order with per-block bounds on free compute and memory, for policies whose scores
 *       depend only on the tenant apps;
 *   <li>nodes by their number of empty cards (whole-GPU and CPU-only pods), each bucket in node
 *       order.
 * </ul>
 *
 * <p>Never over-allocates: {@link #reserve} refuses (IllegalStateException) anything that does not
 * fit. Not thread-safe: one engine thread owns it.
 */
public final class ClusterState {

  static final Comparator<Node> NODE_ORDER = Comparator.comparingLong(Node::ordinal);

  private final Map<String, Node> nodes = new LinkedHashMap<>();
  private final Map<CardKey, ShareClass> shareClasses = new LinkedHashMap<>();
  private final Map<AppGroup.Key, AppGroup> appGroups = new LinkedHashMap<>();
  private final TreeMap<Integer, NavigableSet<Node>> nodesByFreeGpus = new TreeMap<>();
  private final Map<String, ReservedPod> pods = new HashMap<>();
  private final Map<String, Integer> podsPerJob = new HashMap<>();
  private final List<Listener> listeners = new ArrayList<>();
  private final Map<Class<?>, Object> attachments = new HashMap<>();
  private long nextOrdinal;
  private long version;
  private long nodeSetVersion;

  /**
   * Told of every node that changes: a pod reserved on it or released from it, the node added or
   * removed (then no longer in {@link #node}). Lets an index kept outside the state (a plugin's)
   * follow it incrementally instead of rescanning the cluster.
   */
  @FunctionalInterface
  public interface Listener {
    void nodeChanged(Node node);
  }

  public ClusterState(List<NodeInfo> nodes) {
    for (NodeInfo n : nodes) {
      addNode(n);
    }
  }

  /** Appends a node at the end of the node order. */
  public void addNode(NodeInfo info) {
    if (nodes.containsKey(info.name())) {
      throw new IllegalArgumentException("node name '" + info.name() + "' is already present");
    }
    Node node = new Node(info, nextOrdinal++);
    nodes.put(info.name(), node);
    for (Card c : node.cards()) {
      indexCard(c);
    }
    bucket(node).add(node);
    version++;
    nodeSetVersion++;
    changed(node);
  }

  /** Removes an empty node; a node with pods is refused (release them first). */
  public void removeNode(String name) {
    Node node = requireNode(name);
    if (node.podCount() > 0) {
      throw new IllegalStateException(
          "node '" + name + "' still runs " + node.podCount() + " pod(s); release them first");
    }
    for (Card c : node.cards()) {
      unindexCard(c);
    }
    unbucket(node);
    nodes.remove(name);
    version++;
    nodeSetVersion++;
    changed(node);
  }

  /** Adds a listener (see {@link Listener}); it stays for the life of this state. */
  public void addListener(Listener listener) {
    listeners.add(listener);
  }

  /**
   * What a plugin keeps beside this state, one per type, created on first use: an index that
   * follows the state through a {@link Listener}. Not copied by {@link #copy} or {@link
   * #emptyCopy}: a copy builds its own when asked.
   */
  public <T> T attachment(Class<T> type, Function<ClusterState, T> create) {
    Object found = attachments.get(type);
    if (found == null) {
      found = create.apply(this);
      attachments.put(type, found);
    }
    return type.cast(found);
  }

  private void changed(Node node) {
    node.touch();
    for (int i = 0, n = listeners.size(); i < n; i++) {
      listeners.get(i).nodeChanged(node);
    }
  }

  /** Nodes in node order. */
  public Collection<Node> nodes() {
    return Collections.unmodifiableCollection(nodes.values());
  }

  public Optional<Node> node(String name) {
    return Optional.ofNullable(nodes.get(name));
  }

  public int nodeCount() {
    return nodes.size();
  }

  public long freeCpuMilli(String node) {
    return requireNode(node).freeCpuMilli();
  }

  public long freeMemoryMiB(String node) {
    return requireNode(node).freeMemoryMiB();
  }

  public int usedGpuMilli(String node, int gpuIndex) {
    return requireCard(node, gpuIndex).usedMilli();
  }

  public long usedGpuMemoryMiB(String node, int gpuIndex) {
    return requireCard(node, gpuIndex).usedMemoryMiB();
  }

  public boolean gpuExclusive(String node, int gpuIndex) {
    return requireCard(node, gpuIndex).exclusive();
  }

  /** Apps of the share pods on a card, sorted. */
  public List<String> gpuTenantApps(String node, int gpuIndex) {
    return requireCard(node, gpuIndex).tenantApps();
  }

  /** Names of the pods holding a card (share tenants or the whole-GPU holder), sorted. */
  public List<String> gpuPods(String node, int gpuIndex) {
    Card card = requireCard(node, gpuIndex);
    List<String> names = new ArrayList<>();
    for (ReservedPod p : pods.values()) {
      if (p.cards().contains(card)) {
        names.add(p.podName());
      }
    }
    Collections.sort(names);
    return names;
  }

  public Optional<ReservedPod> pod(String podName) {
    return Optional.ofNullable(pods.get(podName));
  }

  public Collection<ReservedPod> pods() {
    return Collections.unmodifiableCollection(pods.values());
  }

  /** Changes with every reservation, release and node change. */
  public long version() {
    return version;
  }

  /** Changes only when nodes are added or removed. */
  public long nodeSetVersion() {
    return nodeSetVersion;
  }

  /** Memory of the largest card in the cluster (0 without GPUs). */
  public long largestCardMemoryMiB() {
    long max = 0;
    for (ShareClass c : shareClasses.values()) {
      max = Math.max(max, c.key().memoryMiB());
    }
    return max;
  }

  /** The equivalence classes of cards (see {@link CardKey}). */
  public Collection<ShareClass> shareClasses() {
    return Collections.unmodifiableCollection(shareClasses.values());
  }

  /**
   * The cards grouped by tenant apps and exclusivity ({@link AppGroup}), each group in node order
   * with per-block capacity bounds.
   */
  public Collection<AppGroup> appGroups() {
    return Collections.unmodifiableCollection(appGroups.values());
  }

  /** Nodes by number of empty cards, each bucket in node order. */
  public NavigableMap<Integer, NavigableSet<Node>> nodesByFreeGpus() {
    return Collections.unmodifiableNavigableMap(nodesByFreeGpus);
  }

  /**
   * Counts a pod as running. Refuses anything that would over-allocate CPU, memory, GPU compute,
   * GPU memory or an exclusive card.
   */
  public ReservedPod reserve(PodReservation r) {
    if (pods.containsKey(r.podName())) {
      throw new IllegalStateException("pod '" + r.podName() + "' is already reserved");
    }
    Node node = requireNode(r.node());
    var shape = r.shape();
    if (shape.cpuMilli() > node.freeCpuMilli()) {
      throw new IllegalStateException(
          "cpuMilli " + shape.cpuMilli() + " exceeds free " + node.freeCpuMilli() + " on " + node);
    }
    if (shape.memoryMiB() > node.freeMemoryMiB()) {
      throw new IllegalStateException(
          "memoryMiB "
              + shape.memoryMiB()
              + " exceeds free "
              + node.freeMemoryMiB()
              + " on "
              + node);
    }
    int expectedCards = shape.isWhole() ? shape.wholeGpus() : shape.isShare() ? 1 : 0;
    if (r.gpuIndexes().size() != expectedCards) {
      throw new IllegalStateException(
          "gpuIndexes must name " + expectedCards + " card(s) for pod " + r.podName());
    }
    List<Card> cards = new ArrayList<>();
    for (int idx : r.gpuIndexes()) {
      Card c = requireCard(r.node(), idx);
      if (cards.contains(c)) {
        throw new IllegalStateException("gpuIndexes names card " + idx + " twice");
      }
      if (shape.isWhole() && !c.isEmpty()) {
        throw new IllegalStateException("card " + c + " is not free for a whole-GPU pod");
      }
      if (shape.isShare()
          && (c.exclusive()
              || shape.gpuMilli() > c.freeMilli()
              || shape.gpuMemoryMiB() > c.freeMemoryMiB())) {
        throw new IllegalStateException(
            "card "
                + c
                + " has no room for gpuMilli "
                + shape.gpuMilli()
                + ", gpuMemoryMiB "
                + shape.gpuMemoryMiB());
      }
      cards.add(c);
    }
    List<GpuSlot> slots = new ArrayList<>();
    for (Card c : cards) {
      slots.add(
          shape.isWhole()
              ? new GpuSlot(c.index(), c.uuid(), 1000, c.memoryMiB())
              : new GpuSlot(c.index(), c.uuid(), shape.gpuMilli(), shape.gpuMemoryMiB()));
    }
    ReservedPod pod =
        new ReservedPod(
            r.podName(),
            r.jobId(),
            r.app(),
            shape,
            node,
            cards,
            slots,
            r.startSeconds(),
            r.predictedEndSeconds(),
            r.throughput());
    unbucket(node);
    node.add(shape.cpuMilli(), shape.memoryMiB());
    for (Card c : cards) {
      unindexCard(c);
      if (shape.isWhole()) {
        c.setExclusive(true);
      } else {
        c.addShare(pod, shape.gpuMilli(), shape.gpuMemoryMiB());
      }
      indexCard(c);
    }
    node.recountFreeWholeGpus();
    bucket(node).add(node);
    pods.put(pod.podName(), pod);
    podsPerJob.merge(pod.jobId(), 1, Integer::sum);
    version++;
    changed(node);
    return pod;
  }

  /** How many pods of {@code jobId} are reserved (a gang's replicas count together). */
  public int podsOfJob(String jobId) {
    return podsPerJob.getOrDefault(jobId, 0);
  }

  /** Stops counting a pod; false (and no change) when it is not reserved. */
  public boolean release(String podName) {
    ReservedPod pod = pods.remove(podName);
    if (pod == null) {
      return false;
    }
    podsPerJob.computeIfPresent(pod.jobId(), (job, n) -> n == 1 ? null : n - 1);
    Node node = pod.node();
    unbucket(node);
    node.remove(pod.shape().cpuMilli(), pod.shape().memoryMiB());
    for (Card c : pod.cards()) {
      unindexCard(c);
      if (pod.shape().isWhole()) {
        c.setExclusive(false);
      } else {
        c.removeShare(pod, pod.shape().gpuMilli(), pod.shape().gpuMemoryMiB());
      }
      indexCard(c);
    }
    node.recountFreeWholeGpus();
    bucket(node).add(node);
    version++;
    changed(node);
    return true;
  }

  /** An independent copy with the same nodes (same order) and the same pods. */
  public ClusterState copy() {
    ClusterState copy = emptyCopy();
    List<ReservedPod> ordered = new ArrayList<>(pods.values());
    ordered.sort(
        Comparator.comparingDouble(ReservedPod::startSeconds).thenComparing(ReservedPod::podName));
    for (ReservedPod p : ordered) {
      copy.reserve(
          new PodReservation(
              p.podName(),
              p.jobId(),
              p.app(),
              p.shape(),
              p.node().name(),
              p.slots().stream().map(GpuSlot::index).toList(),
              p.startSeconds(),
              p.predictedEndSeconds(),
              p.throughput()));
    }
    return copy;
  }

  /** The same nodes in the same order, with nothing running. */
  public ClusterState emptyCopy() {
    return new ClusterState(nodes.values().stream().map(Node::info).toList());
  }

  private Node requireNode(String name) {
    Node n = nodes.get(name);
    if (n == null) {
      throw new IllegalArgumentException("node '" + name + "' is not in the cluster");
    }
    return n;
  }

  private Card requireCard(String node, int index) {
    for (Card c : requireNode(node).cards()) {
      if (c.index() == index) {
        return c;
      }
    }
    throw new IllegalArgumentException("node '" + node + "' has no gpu index " + index);
  }

  private void indexCard(Card c) {
    ShareClass cls = shareClasses.computeIfAbsent(c.key(), ShareClass::new);
    cls.mutableCards().add(c);
    c.setShareClass(cls);
    AppGroup.Key key = c.groupKey();
    AppGroup g = appGroups.get(key);
    if (g == null) {
      g = new AppGroup(key, c.tenantAppIds());
      appGroups.put(key, g);
    }
    g.add(c);
    c.setAppGroup(g);
  }

  private void unindexCard(Card c) {
    ShareClass cls = c.shareClass();
    cls.mutableCards().remove(c);
    if (cls.size() == 0) {
      shareClasses.remove(cls.key());
    }
    AppGroup g = c.appGroup();
    g.remove(c);
    if (g.size() == 0) {
      appGroups.remove(g.key());
    }
  }

  private NavigableSet<Node> bucket(Node n) {
    return nodesByFreeGpus.computeIfAbsent(n.freeWholeGpus(), k -> new TreeSet<>(NODE_ORDER));
  }

  private void unbucket(Node n) {
    NavigableSet<Node> b = nodesByFreeGpus.get(n.freeWholeGpus());
    b.remove(n);
    if (b.isEmpty()) {
      nodesByFreeGpus.remove(n.freeWholeGpus());
    }
  }
}
