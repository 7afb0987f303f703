package dev.cotenant.monitor.lifecycle;

import dev.cotenant.events.GpuRef;
import dev.cotenant.events.JobEvent;
import dev.cotenant.events.PodFinished;
import dev.cotenant.events.PodStarted;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Turns what the informers show of pods and nodes into {@code PodStarted} and {@code PodFinished}:
 * each at most once per pod uid in this process, each with an id derived from the uid and the
 * transition, so that what an informer relist or a restarted monitor reports again is the same
 * event to consumers, who de-duplicate on the id.
 *
 * <p>Nothing is stored: after a restart {@link #replay} is handed every pod that still exists and
 * re-announces what they show. That bounds re-announcement by existence, and by {@code
 * replayWindow}: a pod that ended before it is taken as announced long ago. What a monitor that was
 * down cannot know is a pod that ended and was deleted meanwhile, and co-tenants of that kind
 * (documented in the README). Thread-safe: the informers of pods and nodes call it from their
 * threads, the scraper asks it which pods run on a card.
 */
public final class LifecycleTracker {
  /**
   * Status reasons of pods that ended for a cause outside themselves: the kubelet's eviction, the
   * node lifecycle and pod garbage collection, graceful node shutdown, preemption.
   */
  static final Set<String> EVICTION_REASONS =
      Set.of(
          "Evicted",
          "NodeLost",
          "NodeShutdown",
          "Shutdown",
          "Terminated",
          "DeletionByTaintManager",
          "DeletionByPodGC",
          "Preempted",
          "Preempting");

  private final Clock clock;
  private final Duration retention;
  private final Sink sink;

  /** Where the events go, with the trace context of the pod they are about ("" for none). */
  @FunctionalInterface
  public interface Sink {
    void emit(JobEvent event, String traceparent);
  }

  private final Instant replayFrom;
  private final Map<String, Tracked> pods = new HashMap<>();
  private final Map<String, NodeInfo> nodes = new HashMap<>();
  private final Timeline timeline = new Timeline();
  private long started;
  private long finished;

  /** What is known of one pod uid. */
  private static final class Tracked {
    PodRun pod;
    Timeline.Stint stint;
    List<GpuRef> gpus = List.of();
    Instant finishAt;
    boolean startReported;
    boolean finishReported;
  }

  /**
   * @param replayWindow pods that ended longer ago than this before now are not announced again
   * @param retention how long a finished run is kept for the co-tenant shares of runs beside it
   * @param sink where events go, in the order they happened per pod
   */
  public LifecycleTracker(Clock clock, Duration replayWindow, Duration retention, Sink sink) {
    this.clock = clock;
    this.retention = retention;
    this.sink = sink;
    this.replayFrom = clock.instant().minus(replayWindow);
  }

  public synchronized void nodeChanged(NodeInfo node) {
    nodes.put(node.name(), node);
  }

  public synchronized void nodeDeleted(String name) {
    nodes.remove(name);
  }

  public synchronized Optional<NodeInfo> node(String name) {
    return Optional.ofNullable(nodes.get(name));
  }

  /**
   * The cluster as listed at start: every run is filed before any is announced, so that each pod's
   * co-tenants are known whatever the order of the list; then pods are announced in the order they
   * started.
   */
  public synchronized void replay(Collection<NodeInfo> allNodes, Collection<PodRun> allPods) {
    allNodes.forEach(n -> nodes.put(n.name(), n));
    List<Tracked> tracked = new ArrayList<>();
    for (PodRun pod : allPods) {
      tracked.add(track(pod));
    }
    tracked.sort(
        Comparator.comparing((Tracked t) -> t.pod.startedAt().orElse(Instant.MAX))
            .thenComparing(t -> t.pod.key()));
    tracked.forEach(this::advance);
  }

  public synchronized void podChanged(PodRun pod) {
    advance(track(pod));
  }

  /**
   * The pod is gone. What its last state shows is reported first; a pod deleted while it ran
   * (cancelled, drained, its node lost) ends now: EVICTED when its node is not ready, else FAILED,
   * without an exit code.
   */
  public synchronized void podDeleted(PodRun last) {
    Tracked t = track(last);
    advance(t);
    pods.remove(last.uid());
    if (t.startReported && !t.finishReported) {
      t.finishAt = clock.instant();
      if (t.stint != null) {
        t.stint.end = t.finishAt;
      }
      PodFinished.Outcome outcome =
          nodeReady(last.node()) ? PodFinished.Outcome.FAILED : PodFinished.Outcome.EVICTED;
      finish(t, outcome, OptionalInt.empty());
    }
  }

  /** The pods running now on one card of a node (by index, or UUID when the index is unknown). */
  public synchronized List<String> podsOn(String node, int index, String uuid) {
    Set<String> out = new LinkedHashSet<>(timeline.runningOn(Timeline.gpuKey(node, index, uuid)));
    if (!uuid.isEmpty()) {
      out.addAll(timeline.runningOn(Timeline.gpuKey(node, -1, uuid)));
    }
    return List.copyOf(out);
  }

  /** Pods known, runs held, events emitted: for metrics and tests. */
  public synchronized Counts counts() {
    return new Counts(pods.size(), timeline.size(), started, finished);
  }

  public record Counts(int pods, int runs, long started, long finished) {}

  private Tracked track(PodRun pod) {
    Tracked t = pods.computeIfAbsent(pod.uid(), uid -> new Tracked());
    t.pod = pod;
    if (!pod.bound()) {
      return t;
    }
    if (t.stint == null && pod.startedAt().isPresent()) {
      t.gpus = resolve(pod);
      List<String> keys = new ArrayList<>();
      for (GpuRef g : t.gpus) {
        keys.add(Timeline.gpuKey(pod.node(), g.index(), g.uuid()));
      }
      t.stint =
          new Timeline.Stint(
              pod.uid(), pod.name(), pod.app(), pod.node(), keys, pod.startedAt().get());
      timeline.add(t.stint);
    }
    if (pod.end().isPresent() && t.finishAt == null) {
      t.finishAt = pod.end().get().finishedAt().orElseGet(clock::instant);
      if (t.stint != null) {
        t.stint.end = t.finishAt.isBefore(t.stint.start) ? t.stint.start : t.finishAt;
      }
    }
    return t;
  }

  private void advance(Tracked t) {
    PodRun pod = t.pod;
    if (!pod.bound() || t.finishReported) {
      return; // a pod that never had a node never ran: placement reports why
    }
    if (t.finishAt != null && !t.startReported && t.finishAt.isBefore(replayFrom)) {
      // Ended before the replay window: announced long ago, by this monitor or an earlier one.
      t.startReported = true;
      t.finishReported = true;
      if (t.stint != null) {
        t.stint.reported = true;
        timeline.prune(t.stint, horizon());
      }
      return;
    }
    if (!t.startReported && t.stint != null) {
      t.startReported = true;
      started++;
      sink.emit(
          new PodStarted(
              EventIds.podStarted(pod.uid()),
              t.stint.start,
              pod.tenant(),
              pod.jobId(),
              pod.app(),
              pod.name(),
              pod.node(),
              t.gpus,
              timeline.atStart(t.stint)),
          pod.traceparent());
    }
    if (pod.end().isPresent()) {
      PodRun.End end = pod.end().get();
      finish(t, outcome(pod.node(), end), end.exitCode());
    }
  }

  private void finish(Tracked t, PodFinished.Outcome outcome, OptionalInt exitCode) {
    PodRun pod = t.pod;
    if (t.gpus.isEmpty()) {
      t.gpus = resolve(pod);
    }
    Instant start = t.stint == null ? t.finishAt : t.stint.start;
    double run = Math.max(0, Timeline.seconds(start, t.finishAt));
    t.finishReported = true;
    finished++;
    sink.emit(
        new PodFinished(
            EventIds.podFinished(pod.uid()),
            t.finishAt,
            pod.tenant(),
            pod.jobId(),
            pod.app(),
            pod.name(),
            pod.node(),
            t.gpus,
            outcome,
            exitCode,
            start,
            run,
            t.stint == null ? List.of() : timeline.during(t.stint, t.stint.end)),
        pod.traceparent());
    if (t.stint != null) {
      t.stint.reported = true;
      timeline.prune(t.stint, horizon());
    }
  }

  PodFinished.Outcome outcome(String node, PodRun.End end) {
    if (end.oomKilled()) {
      return PodFinished.Outcome.OOM_KILLED;
    }
    if (end.succeeded()) {
      return PodFinished.Outcome.SUCCEEDED;
    }
    if (end.disrupted() || EVICTION_REASONS.contains(end.reason()) || !nodeReady(node)) {
      return PodFinished.Outcome.EVICTED;
    }
    return PodFinished.Outcome.FAILED;
  }

  /** A node not (or no longer) known is not ready: its pods ended because it went away. */
  private boolean nodeReady(String node) {
    NodeInfo info = nodes.get(node);
    return info != null && info.ready();
  }

  /** The cards a pod names, with what its node tells of the half its annotations leave out. */
  private List<GpuRef> resolve(PodRun pod) {
    NodeInfo node = nodes.get(pod.node());
    List<String> uuids = node == null ? List.of() : node.gpuUuids();
    List<GpuRef> out = new ArrayList<>();
    for (GpuRef g : pod.gpus()) {
      int index = g.index();
      String uuid = g.uuid();
      if (index < 0 && !uuid.isEmpty()) {
        index = uuids.indexOf(uuid);
      }
      if (uuid.isEmpty() && index >= 0 && index < uuids.size()) {
        uuid = uuids.get(index);
      }
      if (index >= 0 || !uuid.isEmpty()) {
        out.add(new GpuRef(index, uuid));
      }
    }
    return out;
  }

  private Instant horizon() {
    return clock.instant().minus(retention);
  }
}
