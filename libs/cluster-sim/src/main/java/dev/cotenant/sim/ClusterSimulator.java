package dev.cotenant.sim;

import dev.cotenant.interference.AppInfo;
import dev.cotenant.interference.CoLocation;
import dev.cotenant.interference.InterferenceModel;
import dev.cotenant.sim.cluster.NodeSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * A cluster running pods in virtual time, with ground-truth interference. Between events every
 * running pod progresses at a constant rate, so time jumps from event to event (discrete-event
 * simulation); a run of thousands of pods takes milliseconds.
 *
 * <p>The ground truth, per running pod (the rules are in the module README):
 *
 * <ul>
 *   <li>GPU: its rate alone times the combined normalised throughput of the other pods on its
 *       cards, by {@link CoLocation}'s rule (product of the pairwise throughputs).
 *   <li>CPU: each pod keeps its app's profiled CPU busy ({@link AppInfo#cpuMilli()}, else its
 *       request). When a node's pods want more than it has, the cores are shared in proportion, so
 *       each of them runs at {@code capacity / demand} of its speed.
 *   <li>GPU memory: a pod that starts next to an incompatible co-tenant, or on a card whose memory
 *       its co-tenants' limits already fill, is OOM-killed at once, as in seed 001.
 *   <li>Start latency: see {@link SimConfig}.
 * </ul>
 *
 * <p>Not thread-safe: one driver advances it.
 */
public final class ClusterSimulator {

  // Below this much remaining solo work (seconds) a pod counts as done; absorbs rounding.
  private static final double EPSILON = 1e-9;

  private final InterferenceModel truth;
  private final SimConfig config;
  private final Map<String, Node> nodes = new LinkedHashMap<>();
  private final Map<String, Running> runningByName = new LinkedHashMap<>();
  private final Set<String> known = new HashSet<>();
  private double now;
  private double busyGpuSeconds;
  private int gpuCount;

  public ClusterSimulator(List<NodeSpec> nodeSpecs, InterferenceModel truth, SimConfig config) {
    this.truth = truth;
    this.config = config;
    for (NodeSpec spec : nodeSpecs) {
      if (nodes.putIfAbsent(spec.name(), new Node(spec)) != null) {
        throw new IllegalArgumentException("duplicate node " + spec.name());
      }
      gpuCount += spec.numGpu();
    }
  }

  public double now() {
    return now;
  }

  public int gpuCount() {
    return gpuCount;
  }

  /** Card-seconds during which a card had at least one running pod. */
  public double busyGpuSeconds() {
    return busyGpuSeconds;
  }

  public int runningPods() {
    return runningByName.size();
  }

  /** Pods bound but not yet running. */
  public int startingPods() {
    int n = 0;
    for (Node node : nodes.values()) {
      n += node.waiting.size() + node.starting.size();
    }
    return n;
  }

  /** Binds {@code pod} now; it runs after its node's start latency. */
  public void bind(SimPod pod) {
    bind(pod, 0);
  }

  /**
   * Binds {@code pod} now; once its node has a start slot for it, it starts in the start latency
   * plus {@code extraStartSeconds} (an image the node must pull first, say).
   */
  public void bind(SimPod pod, double extraStartSeconds) {
    if (!(extraStartSeconds >= 0) || Double.isInfinite(extraStartSeconds)) {
      throw new IllegalArgumentException(
          "extraStartSeconds must be a finite number >= 0, got " + extraStartSeconds);
    }
    Node node = nodeFor(pod.name(), pod.node(), pod.gpus());
    if (!known.add(pod.name())) {
      throw new IllegalArgumentException("pod " + pod.name() + " was bound before");
    }
    node.waiting.addLast(new Pending(pod, extraStartSeconds));
    node.admitStarts(now, config);
  }

  /**
   * Takes a pod out of the cluster now, wherever it is: its object was deleted or its node died. A
   * running pod's run so far is returned as a {@link SimEvent.Outcome#STOPPED} finish; a pod still
   * waiting or starting just leaves its node's line. Its co-tenants speed up at once, and its name
   * may be bound again. Removing a pod that already finished only forgets its name.
   */
  public Optional<SimEvent.Finished> remove(String podName) {
    known.remove(podName);
    Running r = runningByName.remove(podName);
    if (r != null) {
      Node node = nodes.get(r.pod.node());
      node.remove(r);
      updateRates(node);
      return Optional.of(
          new SimEvent.Finished(
              r.pod, now, SimEvent.Outcome.STOPPED, r.startedAt, r.coTenantShares(now)));
    }
    for (Node node : nodes.values()) {
      if (node.take(podName) != null) {
        node.admitStarts(now, config);
        break;
      }
    }
    return Optional.empty();
  }

  /**
   * A running pod's rate now: solo work done per second, 1 alone on an idle node (times this run's
   * noise, {@link SimConfig#noiseFactor}), less when its co-tenants or a busy CPU slow it. Empty
   * when it is not running.
   */
  public OptionalDouble rate(String podName) {
    Running r = runningByName.get(podName);
    return r == null ? OptionalDouble.empty() : OptionalDouble.of(r.rate);
  }

  /**
   * Moves a bound pod to {@code gpus} of {@code nodeName}, as a checkpoint and restart. A running
   * pod stops now, keeps its progress, and starts again there after the start latency plus {@link
   * SimConfig#migrationSeconds}; the run it stopped is returned as a {@link
   * SimEvent.Outcome#MIGRATED} finish (empty when it had done no work yet). A pod still waiting or
   * starting changes place and starts afresh there, still owing what it owed besides its start: one
   * that was restoring a checkpoint restores it again there. The co-tenants it leaves speed up at
   * once.
   */
  public Optional<SimEvent.Finished> migrate(String podName, String nodeName, List<Integer> gpus) {
    Node to = nodeFor(podName, nodeName, gpus);
    Running r = runningByName.remove(podName);
    if (r != null) {
      Node from = nodes.get(r.pod.node());
      from.remove(r);
      updateRates(from);
      double remaining = Math.max(r.remaining, EPSILON * r.pod.soloSeconds());
      double done = r.pod.soloSeconds() - remaining;
      to.waiting.addLast(
          new Pending(r.pod.movedTo(nodeName, gpus, remaining), config.migrationSeconds()));
      to.admitStarts(now, config);
      return done > 0
          ? Optional.of(
              new SimEvent.Finished(
                  r.pod.movedTo(r.pod.node(), r.pod.gpus(), done),
                  now,
                  SimEvent.Outcome.MIGRATED,
                  r.startedAt,
                  r.coTenantShares(now)))
          : Optional.empty();
    }
    for (Node node : nodes.values()) {
      Pending pending = node.take(podName);
      if (pending != null) {
        SimPod pod = pending.pod;
        to.waiting.addLast(
            new Pending(pod.movedTo(nodeName, gpus, pod.soloSeconds()), pending.extraSeconds));
        node.admitStarts(now, config);
        to.admitStarts(now, config);
        return Optional.empty();
      }
    }
    throw new IllegalArgumentException("pod " + podName + " is not bound");
  }

  private Node nodeFor(String podName, String nodeName, List<Integer> gpus) {
    Node node = nodes.get(nodeName);
    if (node == null) {
      throw new IllegalArgumentException("pod " + podName + " names unknown node " + nodeName);
    }
    for (int gpu : gpus) {
      if (gpu < 0 || gpu >= node.spec.numGpu()) {
        throw new IllegalArgumentException(
            "pod "
                + podName
                + " names GPU "
                + gpu
                + " of "
                + nodeName
                + " which has "
                + node.spec.numGpu());
      }
    }
    return node;
  }

  /** Time of the next start or finish, if anything is starting or running. */
  public OptionalDouble nextEventTime() {
    double next = Double.POSITIVE_INFINITY;
    for (Node node : nodes.values()) {
      for (Starting s : node.starting) {
        next = Math.min(next, s.readyAt);
      }
    }
    for (Running r : runningByName.values()) {
      next = Math.min(next, r.finishAt());
    }
    return next == Double.POSITIVE_INFINITY ? OptionalDouble.empty() : OptionalDouble.of(next);
  }

  /**
   * Runs the cluster up to {@code time}, processing every event due by then, and returns them in
   * order. Finishes at one instant come before starts at that instant, so a freed card is free.
   */
  public List<SimEvent> advanceTo(double time) {
    if (time < now) {
      throw new IllegalArgumentException("cannot go back in time from " + now + " to " + time);
    }
    List<SimEvent> events = new ArrayList<>();
    while (true) {
      OptionalDouble next = nextEventTime();
      if (next.isEmpty() || next.getAsDouble() > time) {
        progressTo(time);
        return events;
      }
      progressTo(next.getAsDouble());
      processDue(events);
    }
  }

  private void progressTo(double time) {
    double dt = time - now;
    if (dt <= 0) {
      return;
    }
    for (Running r : runningByName.values()) {
      r.remaining -= r.rate * dt;
      if (!r.coTenants.isEmpty()) {
        for (String app : r.coTenants) {
          r.besideSeconds.merge(app, dt, Double::sum);
        }
      }
    }
    for (Node node : nodes.values()) {
      for (List<Running> card : node.cards) {
        if (!card.isEmpty()) {
          busyGpuSeconds += dt;
        }
      }
    }
    now = time;
  }

  private void processDue(List<SimEvent> events) {
    Set<Node> touched = new HashSet<>();
    for (Iterator<Running> it = runningByName.values().iterator(); it.hasNext(); ) {
      Running r = it.next();
      // A pod of infinite work (a service) never finishes; it runs until removed.
      boolean done =
          Double.isFinite(r.remaining)
              && (r.remaining <= EPSILON * Math.max(1, r.pod.soloSeconds()) || r.finishAt() <= now);
      if (done) {
        it.remove();
        Node node = nodes.get(r.pod.node());
        node.remove(r);
        touched.add(node);
        events.add(
            new SimEvent.Finished(
                r.pod, now, SimEvent.Outcome.SUCCEEDED, r.startedAt, r.coTenantShares(now)));
      }
    }
    for (Node node : nodes.values()) {
      boolean started = false;
      for (Iterator<Starting> it = node.starting.iterator(); it.hasNext(); ) {
        Starting s = it.next();
        if (s.readyAt <= now) {
          it.remove();
          started = true;
          run(node, s.pod, events);
          touched.add(node);
        }
      }
      if (started) {
        node.admitStarts(now, config);
      }
    }
    for (Node node : touched) {
      updateRates(node);
    }
  }

  private void run(Node node, SimPod pod, List<SimEvent> events) {
    events.add(new SimEvent.Started(pod, now));
    if (!gpuMemoryAvailable(node, pod)) {
      Map<String, Double> present = new HashMap<>();
      for (int gpu : pod.gpus()) {
        for (Running other : node.cards.get(gpu)) {
          present.put(other.pod.app(), 1.0);
        }
      }
      events.add(new SimEvent.Finished(pod, now, SimEvent.Outcome.OOM_KILLED, now, present));
      return;
    }
    Running r = new Running(pod, now);
    runningByName.put(pod.name(), r);
    node.add(r);
  }

  private boolean gpuMemoryAvailable(Node node, SimPod pod) {
    for (int gpu : pod.gpus()) {
      long used = pod.gpuMemoryMiB();
      for (Running other : node.cards.get(gpu)) {
        if (truth.predict(pod.app(), other.pod.app()).isIncompatible()
            || truth.predict(other.pod.app(), pod.app()).isIncompatible()) {
          return false;
        }
        used += other.pod.gpuMemoryMiB();
      }
      if (used > node.spec.gpuMemoryMiB()) {
        return false;
      }
    }
    return true;
  }

  private void updateRates(Node node) {
    double demand = 0;
    for (Running r : node.running) {
      demand += cpuUse(r.pod);
    }
    double cpuFactor = demand > node.spec.cpuMilli() ? node.spec.cpuMilli() / demand : 1.0;
    for (Running r : node.running) {
      double gpuFactor =
          r.pod.gpus().isEmpty()
              ? 1.0
              : CoLocation.combinedThroughput(r.pod.app(), coTenantApps(node, r), truth::predict);
      r.rate = r.noise * gpuFactor * (cpuUse(r.pod) > 0 ? cpuFactor : 1.0);
      r.coTenants = r.pod.gpus().isEmpty() ? List.of() : coTenantApps(node, r);
    }
  }

  private double cpuUse(SimPod pod) {
    OptionalDouble profiled =
        truth.profile(pod.app()).map(AppInfo::cpuMilli).orElse(OptionalDouble.empty());
    return profiled.orElse(pod.cpuMilli());
  }

  private static List<String> coTenantApps(Node node, Running pod) {
    List<String> apps = new ArrayList<>();
    for (int gpu : pod.pod.gpus()) {
      for (Running other : node.cards.get(gpu)) {
        if (other != pod) {
          apps.add(other.pod.app());
        }
      }
    }
    return apps;
  }

  private static final class Node {
    final NodeSpec spec;
    final List<List<Running>> cards = new ArrayList<>();
    final List<Running> running = new ArrayList<>();
    final Deque<Pending> waiting = new ArrayDeque<>();
    final List<Starting> starting = new ArrayList<>();

    Node(NodeSpec spec) {
      this.spec = spec;
      for (int i = 0; i < spec.numGpu(); i++) {
        cards.add(new ArrayList<>());
      }
    }

    void admitStarts(double now, SimConfig config) {
      while (!waiting.isEmpty() && starting.size() < config.parallelStartsPerNode()) {
        Pending p = waiting.removeFirst();
        starting.add(
            new Starting(p.pod, now + config.podStartSeconds() + p.extraSeconds, p.extraSeconds));
      }
    }

    /**
     * Removes a pod that is waiting or starting here, with what it owes besides its start; null
     * when there is none of that name.
     */
    Pending take(String podName) {
      for (Iterator<Pending> it = waiting.iterator(); it.hasNext(); ) {
        Pending p = it.next();
        if (p.pod.name().equals(podName)) {
          it.remove();
          return p;
        }
      }
      for (Iterator<Starting> it = starting.iterator(); it.hasNext(); ) {
        Starting s = it.next();
        if (s.pod.name().equals(podName)) {
          it.remove();
          return new Pending(s.pod, s.extraSeconds);
        }
      }
      return null;
    }

    void add(Running r) {
      running.add(r);
      for (int gpu : r.pod.gpus()) {
        cards.get(gpu).add(r);
      }
    }

    void remove(Running r) {
      running.remove(r);
      for (int gpu : r.pod.gpus()) {
        cards.get(gpu).remove(r);
      }
    }
  }

  private record Starting(SimPod pod, double readyAt, double extraSeconds) {}

  /** A pod waiting for a start slot; a migrated one also restores its checkpoint. */
  private record Pending(SimPod pod, double extraSeconds) {}

  private final class Running {
    final SimPod pod;
    final double startedAt;
    // This run's deviation from the truth's solo rate (SimConfig#noiseFactor).
    final double noise;
    double remaining;
    double rate;
    // Who shares its cards now (one entry per pod), and for how long each app has so far.
    List<String> coTenants = List.of();
    final Map<String, Double> besideSeconds = new HashMap<>();

    Running(SimPod pod, double startedAt) {
      this.pod = pod;
      this.startedAt = startedAt;
      this.remaining = pod.soloSeconds();
      this.noise = config.noiseFactor(pod.name());
      this.rate = noise;
    }

    Map<String, Double> coTenantShares(double end) {
      double run = end - startedAt;
      Map<String, Double> shares = new HashMap<>();
      besideSeconds.forEach((app, seconds) -> shares.put(app, run > 0 ? seconds / run : 1.0));
      return shares;
    }

    double finishAt() {
      return now + Math.max(0, remaining) / rate;
    }
  }
}
