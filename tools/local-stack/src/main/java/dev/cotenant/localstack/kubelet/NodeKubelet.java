package dev.cotenant.localstack.kubelet;

import dev.cotenant.localstack.kubelet.DevicePlugin.Granted;
import dev.cotenant.localstack.kubelet.DevicePlugin.Refused;
import dev.cotenant.localstack.kubelet.PodState.Container;
import dev.cotenant.localstack.kubelet.PodState.ContainerKind;
import dev.cotenant.localstack.kubelet.PodState.Phase;
import dev.cotenant.sim.AcceleratedRealTime;
import dev.cotenant.sim.ClusterSimulator;
import dev.cotenant.sim.SimConfig;
import dev.cotenant.sim.SimEvent;
import dev.cotenant.sim.SimPod;
import dev.cotenant.sim.cluster.NodeSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The kubelet of one simulated node: it admits the pods bound to the node, gives them their cards
 * ({@link DevicePlugin}), runs them in the node's own {@link ClusterSimulator} on accelerated real
 * time, and says what each pod's status is after every change. Nodes do not affect each other
 * (cards and cores are per node), so each has its own simulator and lock, and a large cluster costs
 * only the nodes that change.
 *
 * <p>Plain Java: no Kubernetes client. Thread-safe: the pod watcher and the ticker call it.
 */
public final class NodeKubelet {

  /** What a container reports when its node died under it (as the API shows a lost container). */
  static final String LOST = "ContainerStatusUnknown";

  private final NodeSpec spec;
  private final int index;
  private final String hostIp;
  private final GroundTruth truth;
  private final AcceleratedRealTime clock;
  private final WallClock wall;
  private final double imagePullSeconds;
  private final DevicePlugin devices;
  private final Map<String, Tracked> pods = new LinkedHashMap<>();
  private final Map<String, BoundPod> held = new LinkedHashMap<>();
  private final Set<String> images = new HashSet<>();
  private boolean ready = true;
  private int nextIp;

  private static final class Tracked {
    final BoundPod pod;
    PodState state;
    boolean inSim;
    boolean everInSim;

    Tracked(BoundPod pod) {
      this.pod = pod;
    }
  }

  /** A pod running on a card, for the card's exporter. */
  public record Tenant(
      String namespace, String pod, String container, String app, double rate, long reservedMiB) {}

  /** One card and what runs on it now. */
  public record GpuCard(int index, String uuid, long memoryMiB, List<Tenant> tenants) {}

  /**
   * @param index the node's position in the cluster file, for its pod addresses
   * @param hostIp the node's address (its exporter listens there)
   * @param imagePullSeconds virtual seconds a node spends pulling an image it has not run before
   */
  public NodeKubelet(
      NodeSpec spec,
      int index,
      String hostIp,
      List<String> gpuUuids,
      GroundTruth truth,
      SimConfig config,
      double speedup,
      double imagePullSeconds,
      WallClock wall) {
    this.spec = spec;
    this.index = index;
    this.hostIp = hostIp;
    this.truth = truth;
    this.wall = wall;
    this.imagePullSeconds = imagePullSeconds;
    this.clock =
        new AcceleratedRealTime(
            new ClusterSimulator(List.of(spec), truth.model(), config), speedup, wall::nanos);
    this.devices = new DevicePlugin(gpuUuids, spec.gpuMemoryMiB());
  }

  public NodeSpec spec() {
    return spec;
  }

  public String hostIp() {
    return hostIp;
  }

  public List<String> gpuUuids() {
    return devices.uuids();
  }

  public synchronized boolean ready() {
    return ready;
  }

  /**
   * Admits a pod bound here: it waits for a start slot, then starts; or the device plugin refuses
   * it and it fails at once. A pod seen before is ignored; one bound while the node is down waits
   * for it to come back, as it would for a kubelet that is not running.
   */
  public synchronized List<PodState> admit(BoundPod pod) {
    if (pods.containsKey(pod.uid()) || held.containsKey(pod.uid())) {
      return List.of();
    }
    if (!ready) {
      held.put(pod.uid(), pod);
      return List.of();
    }
    long now = wall.nanos();
    Instant at = wall.instantAt(now);
    Tracked tracked = new Tracked(pod);
    pods.put(pod.uid(), tracked);
    String podIp = nextPodIp();
    DevicePlugin.Allocation allocation = devices.allocate(pod);
    if (allocation instanceof Refused refused) {
      tracked.state =
          new PodState(
              pod,
              Phase.Failed,
              refused.reason(),
              refused.message(),
              hostIp,
              "",
              at,
              at,
              Container.none(),
              Optional.empty(),
              now);
      return List.of(tracked.state);
    }
    Granted granted = (Granted) allocation;
    double solo =
        pod.restartAlways()
            ? Double.POSITIVE_INFINITY
            : truth.soloSecondsOf(pod.app(), pod.soloSeconds());
    SimPod simPod =
        new SimPod(
            pod.uid(),
            pod.key(),
            pod.app(),
            spec.name(),
            granted.cards(),
            pod.cpuMilli(),
            granted.memoryPerCardMiB(),
            solo);
    double pull = images.add(pod.image()) ? imagePullSeconds : 0;
    List<SimEvent> happened = clock.bind(simPod, pull);
    tracked.inSim = true;
    tracked.everInSim = true;
    tracked.state =
        new PodState(
            pod,
            Phase.Pending,
            "",
            "",
            hostIp,
            podIp,
            at,
            at,
            Container.creating(),
            Optional.empty(),
            now);
    List<PodState> changed = apply(happened);
    changed.add(tracked.state);
    return changed;
  }

  /** Runs the node up to now; the pods that started or ended meanwhile. */
  public synchronized List<PodState> advance() {
    return apply(clock.catchUp());
  }

  /** Wall nanoseconds until the next start or end is due here; empty when nothing is. */
  public synchronized OptionalLong nanosUntilNextEvent() {
    return clock.nanosUntilNextEvent();
  }

  /** The pod's object was deleted: it stops now and its cards are free. */
  public synchronized List<PodState> remove(String uid) {
    held.remove(uid);
    Tracked tracked = pods.remove(uid);
    if (tracked == null || !tracked.everInSim) {
      return new ArrayList<>();
    }
    devices.release(uid);
    return apply(clock.remove(uid));
  }

  /**
   * The node dies: every pod not yet ended fails as on a lost node (phase Failed, reason NodeLost,
   * its container's state unknown), and nothing runs until {@link #up}.
   */
  public synchronized List<PodState> down() {
    if (!ready) {
      return List.of();
    }
    ready = false;
    List<PodState> changed = new ArrayList<>();
    for (Tracked tracked : new ArrayList<>(pods.values())) {
      if (tracked.state.phase().terminal()) {
        continue;
      }
      if (tracked.inSim) {
        tracked.inSim = false;
        devices.release(tracked.pod.uid());
        changed.addAll(apply(clock.remove(tracked.pod.uid())));
      }
      long now = wall.nanos();
      Instant at = wall.instantAt(now);
      Container was = tracked.state.container();
      Container lost =
          new Container(
              ContainerKind.TERMINATED,
              LOST,
              "The container could not be located when the pod was terminated",
              was.kind() == ContainerKind.RUNNING ? was.startedAt() : Optional.empty(),
              Optional.of(at),
              137,
              was.restartCount());
      tracked.state =
          new PodState(
              tracked.pod,
              Phase.Failed,
              "NodeLost",
              "Node "
                  + spec.name()
                  + " which was running pod "
                  + tracked.pod.name()
                  + " is unresponsive",
              hostIp,
              tracked.state.podIp(),
              tracked.state.startTime(),
              at,
              lost,
              tracked.state.lastTerminated(),
              now);
      changed.add(tracked.state);
    }
    return changed;
  }

  /** The node is back: pods bound while it was down are admitted now. */
  public synchronized List<PodState> up() {
    if (ready) {
      return List.of();
    }
    ready = true;
    List<PodState> changed = new ArrayList<>();
    List<BoundPod> waiting = new ArrayList<>(held.values());
    held.clear();
    waiting.forEach(pod -> changed.addAll(admit(pod)));
    return changed;
  }

  /** Each card and the pods running on it now, with their current rates. */
  public synchronized List<GpuCard> cards() {
    List<GpuCard> cards = new ArrayList<>();
    for (int card = 0; card < devices.uuids().size(); card++) {
      List<Tenant> tenants = new ArrayList<>();
      for (String uid : devices.holdersOf(card)) {
        Tracked tracked = pods.get(uid);
        OptionalDouble rate = clock.rate(uid);
        if (tracked != null && rate.isPresent() && ready) {
          BoundPod pod = tracked.pod;
          long reserved = pod.share() ? pod.shareMemoryMiB() : spec.gpuMemoryMiB();
          tenants.add(
              new Tenant(
                  pod.namespace(),
                  pod.name(),
                  pod.containers().get(0),
                  pod.app(),
                  rate.getAsDouble(),
                  reserved));
        }
      }
      cards.add(new GpuCard(card, devices.uuids().get(card), spec.gpuMemoryMiB(), tenants));
    }
    return cards;
  }

  /** Pods admitted here and not deleted, and how many of them run now. */
  public synchronized int[] podCounts() {
    int running = 0;
    for (Tracked tracked : pods.values()) {
      if (tracked.state.ready()) {
        running++;
      }
    }
    return new int[] {pods.size(), running};
  }

  private List<PodState> apply(List<SimEvent> events) {
    List<PodState> changed = new ArrayList<>();
    for (SimEvent event : events) {
      Tracked tracked = pods.get(event.pod().name());
      if (tracked == null || !tracked.inSim) {
        continue;
      }
      long atNanos = clock.wallNanosAt(event.time());
      Instant at = wall.instantAt(atNanos);
      PodState was = tracked.state;
      if (event instanceof SimEvent.Started) {
        tracked.state =
            withContainer(
                was, Phase.Running, at, Container.running(at, 0), was.lastTerminated(), atNanos);
      } else if (event instanceof SimEvent.Finished finished) {
        Instant startedAt = wall.instantAt(clock.wallNanosAt(finished.startedAt()));
        PodState ended = ended(tracked.pod, was, finished.outcome(), startedAt, at, atNanos);
        if (ended == null) {
          continue;
        }
        tracked.state = ended;
        tracked.inSim = false;
        devices.release(tracked.pod.uid());
      }
      changed.add(tracked.state);
    }
    return changed;
  }

  /** The state after the simulator ended the pod's run; null for ends reported elsewhere. */
  private static PodState ended(
      BoundPod pod,
      PodState was,
      SimEvent.Outcome outcome,
      Instant startedAt,
      Instant at,
      long atNanos) {
    switch (outcome) {
      case SUCCEEDED -> {
        int exit = pod.exitCode();
        Container done =
            Container.terminated(exit == 0 ? "Completed" : "Error", "", exit, startedAt, at);
        return withContainer(
            was,
            exit == 0 ? Phase.Succeeded : Phase.Failed,
            at,
            done,
            was.lastTerminated(),
            atNanos);
      }
      case OOM_KILLED -> {
        Container killed = Container.terminated("OOMKilled", "", 137, startedAt, at);
        if (pod.restartAlways()) {
          // A service is restarted by its kubelet; its card cannot hold it, so it backs off.
          Container backOff =
              new Container(
                  ContainerKind.WAITING,
                  "CrashLoopBackOff",
                  "back-off 10s restarting failed container="
                      + pod.containers().get(0)
                      + " pod="
                      + pod.name()
                      + "_"
                      + pod.namespace()
                      + "("
                      + pod.uid()
                      + ")",
                  Optional.empty(),
                  Optional.empty(),
                  0,
                  1);
          return withContainer(was, Phase.Running, at, backOff, Optional.of(killed), atNanos);
        }
        return withContainer(was, Phase.Failed, at, killed, was.lastTerminated(), atNanos);
      }
      default -> {
        return null; // STOPPED: the pod was deleted or its node went down; MIGRATED: never here
      }
    }
  }

  private static PodState withContainer(
      PodState was,
      Phase phase,
      Instant at,
      Container container,
      Optional<Container> lastTerminated,
      long atNanos) {
    return new PodState(
        was.pod(),
        phase,
        was.reason(),
        was.message(),
        was.hostIp(),
        was.podIp(),
        was.startTime(),
        at,
        container,
        lastTerminated,
        atNanos);
  }

  /** KWOK's way: addresses from the node's pod CIDR ({@code 10.<node>.0/24}), cycling. */
  private String nextPodIp() {
    int host = 2 + (nextIp++ % 252);
    return "10." + ((index >> 8) & 255) + "." + (index & 255) + "." + host;
  }

  /** The node's pod CIDR, as its spec.podCIDR says. */
  public String podCidr() {
    return "10." + ((index >> 8) & 255) + "." + (index & 255) + ".0/24";
  }
}
