package dev.cotenant.placement.service;

import dev.cotenant.placement.PlacementEngine;
import dev.cotenant.placement.mapping.NodeMapper;
import dev.cotenant.placement.mapping.ObservedPod;
import dev.cotenant.placement.model.NodeInfo;
import dev.cotenant.placement.model.PodShape;
import dev.cotenant.placement.state.Card;
import dev.cotenant.placement.state.ClusterState;
import dev.cotenant.placement.state.Node;
import dev.cotenant.placement.state.PodReservation;
import dev.cotenant.placement.state.ReservedPod;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.DoubleSupplier;
import java.util.function.ToDoubleFunction;
import org.jboss.logging.Logger;

/**
 * Keeps the engine's {@link ClusterState} equal to the cluster the informers show, plus the pods
 * placement has reserved but not yet seen (kube-scheduler's "assumed" pods): nodes that may be
 * used, and every pod that holds capacity on one of them, whoever placed it, counted once.
 *
 * <p>Each Kubernetes pod ({@code namespace/name}) stands for at most one engine reservation. A
 * reservation the engine made for a decision is linked to its pod before the pod exists ({@link
 * #assume}), so the informer's first sight of it changes nothing; it is released when the pod ends
 * or disappears, or when the write that was to create it fails ({@link #forget}).
 *
 * <p>Single-threaded: the scheduler thread owns it.
 */
final class ClusterSync {
  private static final Logger LOG = Logger.getLogger(ClusterSync.class);

  private final PlacementEngine engine;
  private final ToDoubleFunction<String> expectedSeconds;
  private final DoubleSupplier clock;
  private final Map<String, NodeMapper.Result> nodes = new HashMap<>();
  private final Map<String, ObservedPod> pods = new HashMap<>();
  private final Map<String, String> reservationOf = new HashMap<>();
  // Pods that hold capacity the engine cannot count now (their node is not usable, or the
  // cluster says more than the node has), by node: counted when the node comes back.
  private final Map<String, Set<String>> parked = new HashMap<>();
  private final Map<String, Set<String>> podsOfJob = new HashMap<>();

  /**
   * @param expectedSeconds an app's expected run time, for pods the engine did not place
   * @param clock the engine's time, in seconds
   */
  ClusterSync(
      PlacementEngine engine, ToDoubleFunction<String> expectedSeconds, DoubleSupplier clock) {
    this.engine = engine;
    this.expectedSeconds = expectedSeconds;
    this.clock = clock;
  }

  ClusterState state() {
    return engine.state();
  }

  Optional<ObservedPod> pod(String key) {
    return Optional.ofNullable(pods.get(key));
  }

  Collection<ObservedPod> pods() {
    return pods.values();
  }

  /** The pods of one of our jobs that the cluster shows. */
  List<ObservedPod> podsOfJob(String jobId) {
    Set<String> keys = podsOfJob.get(jobId);
    if (keys == null) {
      return List.of();
    }
    List<ObservedPod> out = new ArrayList<>(keys.size());
    for (String key : keys) {
      out.add(pods.get(key));
    }
    return out;
  }

  Map<String, NodeMapper.Result> nodeResults() {
    return nodes;
  }

  /** Whether the node set or its capacity changed. */
  boolean nodeChanged(NodeMapper.Result result) {
    NodeMapper.Result before = nodes.put(result.name(), result);
    Optional<NodeInfo> was = before == null ? Optional.empty() : before.info();
    if (was.equals(result.info())) {
      return false;
    }
    if (was.isPresent()) {
      unplace(result.name());
    }
    result.info().ifPresent(info -> place(info));
    if (before == null || !before.excludedBecause().equals(result.excludedBecause())) {
      LOG.infof(
          "node %s %s",
          result.name(),
          result.info().isPresent() ? "schedulable" : "excluded: " + result.excludedBecause());
    }
    return true;
  }

  boolean nodeDeleted(String name) {
    NodeMapper.Result before = nodes.remove(name);
    if (before != null && before.info().isPresent()) {
      unplace(name);
      return true;
    }
    return false;
  }

  private void unplace(String node) {
    if (engine.state().node(node).isEmpty()) {
      return;
    }
    for (var e : List.copyOf(reservationOf.entrySet())) {
      Optional<ReservedPod> r = engine.state().pod(e.getValue());
      if (r.isPresent() && r.get().node().name().equals(node)) {
        engine.state().release(e.getValue());
        reservationOf.remove(e.getKey());
        if (pods.containsKey(e.getKey())) {
          // Its pod keeps its capacity in reality: parked until the node is usable again.
          parked.computeIfAbsent(node, n -> new LinkedHashSet<>()).add(e.getKey());
        }
      }
    }
    for (ReservedPod r : List.copyOf(engine.state().pods())) {
      if (r.node().name().equals(node)) {
        engine.state().release(r.podName());
      }
    }
    engine.state().removeNode(node);
  }

  private void place(NodeInfo info) {
    engine.state().addNode(info);
    Set<String> waiting = parked.remove(info.name());
    if (waiting != null) {
      for (String key : waiting) {
        ObservedPod p = pods.get(key);
        if (p != null) {
          count(p);
        }
      }
    }
  }

  /**
   * Links the engine's reservation {@code reservation} (made by a decision) to the pod that will be
   * created for it.
   */
  void assume(String podKey, String reservation) {
    reservationOf.put(podKey, reservation);
  }

  /** Drops an assumed reservation whose pod will not exist (its write failed or was cancelled). */
  void forget(String podKey, double now) {
    String r = reservationOf.remove(podKey);
    if (r != null && !pods.containsKey(podKey)) {
      engine.finished(r, now);
    } else if (r != null) {
      reservationOf.put(podKey, r); // the pod exists: its end releases it
    }
  }

  /**
   * The informer's latest view of a pod.
   *
   * @return whether capacity was freed (a pod ended or disappeared)
   */
  boolean podChanged(ObservedPod p, double now) {
    ObservedPod before = pods.put(p.key(), p);
    p.jobId().ifPresent(j -> podsOfJob.computeIfAbsent(j, k -> new LinkedHashSet<>()).add(p.key()));
    if (p.holdsCapacity()) {
      String r = reservationOf.get(p.key());
      if (r != null) {
        Optional<ReservedPod> held = engine.state().pod(r);
        if (held.isPresent() && held.get().node().name().equals(p.node().get())) {
          return false;
        }
        // Bound somewhere other than assumed (another scheduler, a manual bind): move it.
        reservationOf.remove(p.key());
        engine.finished(r, now);
      }
      unpark(p.key());
      count(p);
      return false;
    }
    boolean freed = release(p.key(), now);
    return freed || (before != null && before.holdsCapacity());
  }

  boolean podDeleted(String key, double now) {
    ObservedPod before = pods.remove(key);
    if (before != null) {
      before
          .jobId()
          .ifPresent(
              j -> {
                Set<String> keys = podsOfJob.get(j);
                if (keys != null && keys.remove(key) && keys.isEmpty()) {
                  podsOfJob.remove(j);
                }
              });
    }
    return release(key, now);
  }

  private boolean release(String key, double now) {
    unpark(key);
    String r = reservationOf.remove(key);
    if (r == null) {
      return false;
    }
    engine.finished(r, now);
    return true;
  }

  private void unpark(String key) {
    for (Set<String> keys : parked.values()) {
      keys.remove(key);
    }
  }

  /** Counts a pod that holds capacity and is not reserved yet. */
  private void count(ObservedPod p) {
    String node = p.node().orElseThrow();
    Optional<Node> n = engine.state().node(node);
    if (n.isEmpty()) {
      parked.computeIfAbsent(node, k -> new LinkedHashSet<>()).add(p.key());
      return;
    }
    String name = p.ours() ? p.name() : p.key();
    if (engine.state().pod(name).isPresent()) {
      name = p.key(); // a foreign pod named like one of ours: keep both
    }
    List<Integer> cards = cards(p, n.get());
    double now = clock.getAsDouble();
    try {
      engine
          .state()
          .reserve(
              new PodReservation(
                  name,
                  p.jobId().orElse(p.key()),
                  p.app(),
                  p.shape(),
                  node,
                  cards,
                  now,
                  now + expectedSeconds.applyAsDouble(p.app()),
                  1.0));
      reservationOf.put(p.key(), name);
    } catch (IllegalStateException e) {
      // The cluster runs more than the node has room for (over-commit by another scheduler, or
      // an allocatable that shrank): nothing to count it against until something leaves.
      LOG.warnf("pod %s on %s is not counted: %s", p.key(), node, e.getMessage());
      parked.computeIfAbsent(node, k -> new LinkedHashSet<>()).add(p.key());
    }
  }

  /**
   * The cards a pod holds: its annotation when it has one that fits its shape; otherwise (a pod
   * another scheduler placed on whole cards) the first free ones, as the device plugin would hand
   * them out.
   */
  private static List<Integer> cards(ObservedPod p, Node node) {
    PodShape shape = p.shape();
    int need = shape.isWhole() ? shape.wholeGpus() : shape.isShare() ? 1 : 0;
    if (need == 0) {
      return List.of();
    }
    if (p.gpuIndexes().size() == need) {
      return p.gpuIndexes();
    }
    List<Integer> out = new ArrayList<>();
    for (Card c : node.cards()) {
      boolean fits =
          shape.isWhole()
              ? c.isEmpty()
              : !c.exclusive()
                  && c.freeMilli() >= shape.gpuMilli()
                  && c.freeMemoryMiB() >= shape.gpuMemoryMiB();
      if (fits) {
        out.add(c.index());
        if (out.size() == need) {
          break;
        }
      }
    }
    return out;
  }

  /** The apps of the other pods on the pod's cards. */
  List<String> coTenantApps(String podKey) {
    String r = reservationOf.get(podKey);
    Optional<ReservedPod> held = r == null ? Optional.empty() : engine.state().pod(r);
    if (held.isEmpty()) {
      return List.of();
    }
    Set<String> apps = new LinkedHashSet<>();
    for (Card card : held.get().cards()) {
      for (ReservedPod tenant : card.tenants()) {
        if (!tenant.podName().equals(r)) {
          apps.add(tenant.app());
        }
      }
    }
    return List.copyOf(apps);
  }

  /** The engine reservation standing for a pod, if any. */
  Optional<String> reservation(String podKey) {
    return Optional.ofNullable(reservationOf.get(podKey));
  }

  int parkedCount() {
    int n = 0;
    for (Set<String> keys : parked.values()) {
      n += keys.size();
    }
    return n;
  }
}
