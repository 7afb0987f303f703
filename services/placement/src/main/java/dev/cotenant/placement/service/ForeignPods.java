package dev.cotenant.placement.service;

import dev.cotenant.events.JobPlaced;
import dev.cotenant.events.PodAssignment;
import dev.cotenant.events.PodBound;
import dev.cotenant.placement.kubernetes.Names;
import dev.cotenant.placement.mapping.ObservedPod;
import dev.cotenant.placement.model.Decision;
import dev.cotenant.placement.model.GpuSlot;
import dev.cotenant.placement.model.JobRequest;
import dev.cotenant.placement.model.PodPlacement;
import dev.cotenant.placement.model.PodShape;
import dev.cotenant.placement.model.Replicas;
import dev.cotenant.service.tracing.TraceHeaders;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Pods that name {@code schedulerName: cotenant} without coming from a Cotenant job (Kubeflow
 * Pipelines, Argo, {@code kubectl apply}). A pod alone is a gang of one; pods sharing the
 * coscheduling {@code scheduling.x-k8s.io/pod-group} label are one gang, placed together once the
 * group has its minimum ({@code cotenant.dev/gang-size}, else every pod of the group seen), as
 * coscheduling's minMember. A group still short of its minimum after the gang timeout is reported
 * (a FailedScheduling Event on its pods) and waits again: nothing is held meanwhile, since the
 * engine reserves a gang whole or not at all.
 *
 * <p>Pods of one gang may differ in shape; the gang asks for the largest of each resource, so every
 * member fits where its replica is reserved.
 */
final class ForeignPods {
  private final Context c;
  private static final Logger LOG = Logger.getLogger(ForeignPods.class);
  static final String JOB_PREFIX = "k8s:";

  private final Map<String, Gang> gangs = new LinkedHashMap<>();
  private final Map<String, String> gangOfPod = new HashMap<>();
  private long sequence;

  ForeignPods(Context context) {
    this.c = context;
  }

  /** A group of pending pods placed together. */
  static final class Gang {
    final String id;
    final String namespace;
    final TreeSet<String> pods = new TreeSet<>();
    int minMember;
    double waitingSince;
    Optional<JobRequest> queued = Optional.empty();
    boolean writing;

    Gang(String id, String namespace, double now) {
      this.id = id;
      this.namespace = namespace;
      this.waitingSince = now;
    }
  }

  void podChanged(ObservedPod p) {
    if (p.ours()) {
      return;
    }
    if (p.pendingForUs(Names.SCHEDULER)) {
      String id = JOB_PREFIX + p.podGroup().map(g -> p.namespace() + "/" + g).orElse(p.key());
      Gang gang =
          gangs.computeIfAbsent(id, k -> new Gang(k, p.namespace(), c.clock().getAsDouble()));
      if (gang.pods.add(p.key())) {
        gangOfPod.put(p.key(), id);
        unqueue(gang);
      }
      gang.minMember = Math.max(gang.minMember, p.gangSize().orElse(0));
    } else {
      leave(p.key());
    }
  }

  void podDeleted(ObservedPod p) {
    leave(p.key());
  }

  private void leave(String podKey) {
    String id = gangOfPod.remove(podKey);
    if (id == null) {
      return;
    }
    Gang gang = gangs.get(id);
    if (gang == null || gang.writing) {
      return;
    }
    gang.pods.remove(podKey);
    unqueue(gang);
    if (gang.pods.isEmpty()) {
      gangs.remove(id);
    }
  }

  /** Its membership changed: what was queued no longer stands for it. */
  private void unqueue(Gang gang) {
    if (gang.queued.isPresent()) {
      c.queue().cancel(gang.id);
      gang.queued = Optional.empty();
    }
  }

  void activated() {}

  /** How long the scheduler may sleep before a gang's wait times out. */
  long nextTimerMillis() {
    double next = Double.POSITIVE_INFINITY;
    for (Gang g : gangs.values()) {
      if (g.queued.isEmpty() && !g.writing && g.pods.size() < g.minMember) {
        next = Math.min(next, g.waitingSince + c.settings().gangTimeoutSeconds());
      }
    }
    if (next == Double.POSITIVE_INFINITY) {
      return 1_000;
    }
    return Math.max(1, Math.min(1_000, (long) ((next - c.clock().getAsDouble()) * 1000)));
  }

  /** Queues the gangs that are complete, reports the ones that waited too long; whether any. */
  boolean evaluate() {
    double now = c.clock().getAsDouble();
    boolean any = false;
    for (Gang gang : gangs.values()) {
      if (gang.queued.isPresent() || gang.writing || gang.pods.isEmpty()) {
        continue;
      }
      int min = gang.minMember > 0 ? gang.minMember : gang.pods.size();
      if (gang.pods.size() >= min) {
        JobRequest request = request(gang);
        c.queue().submit(request);
        gang.queued = Optional.of(request);
        any = true;
      } else if (now - gang.waitingSince >= c.settings().gangTimeoutSeconds()) {
        gang.waitingSince = now;
        String message =
            "pod group "
                + gang.id.substring(JOB_PREFIX.length())
                + " has "
                + gang.pods.size()
                + " of its "
                + min
                + " members; waiting for the rest";
        List<String> pods = List.copyOf(gang.pods);
        c.writers().execute(() -> pods.forEach(key -> record(key, "GangIncomplete", message)));
      }
    }
    return any;
  }

  private JobRequest request(Gang gang) {
    long cpu = 0;
    long mem = 0;
    int whole = 0;
    int milli = 0;
    long gpuMem = 0;
    String app = "";
    for (String key : gang.pods) {
      ObservedPod p = c.sync().pod(key).orElseThrow();
      PodShape s = p.shape();
      cpu = Math.max(cpu, s.cpuMilli());
      mem = Math.max(mem, s.memoryMiB());
      whole = Math.max(whole, s.wholeGpus());
      milli = Math.max(milli, s.gpuMilli());
      gpuMem = Math.max(gpuMem, s.gpuMemoryMiB());
      if (app.isEmpty()) {
        app = p.app();
      }
    }
    PodShape shape =
        whole > 0
            ? PodShape.whole(cpu, mem, whole)
            : milli > 0 || gpuMem > 0
                ? PodShape.share(cpu, mem, milli, gpuMem)
                : PodShape.cpu(cpu, mem);
    return new JobRequest(
        gang.id,
        app,
        0,
        sequence++,
        new Replicas.Fixed(gang.pods.size()),
        shape,
        0,
        Optional.empty());
  }

  /** Carries out a decision about a foreign gang; false when it is not one. */
  boolean decided(Decision d) {
    if (!d.jobId().startsWith(JOB_PREFIX)) {
      return false;
    }
    Gang gang = gangs.get(d.jobId());
    if (gang == null || gang.queued.isEmpty()) {
      if (d.placed()) {
        double now = c.clock().getAsDouble();
        d.placements().forEach(p -> c.engine().finished(p.podName(), now));
      }
      return true;
    }
    if (!d.placed()) {
      String message = Events.failedScheduling(d, c.engine().state().nodeCount());
      List<String> pods = List.copyOf(gang.pods);
      c.writers().execute(() -> pods.forEach(key -> record(key, "FailedScheduling", message)));
      c.events()
          .publish(
              new dev.cotenant.events.JobUnschedulable(
                  Events.random(), Instant.now(), gang.namespace, gang.id, Events.reasons(d)),
              TraceHeaders.NONE);
      return true;
    }
    gang.queued = Optional.empty();
    gang.writing = true;
    List<String> pods = List.copyOf(gang.pods);
    List<PodPlacement> placements = d.placements();
    List<PodAssignment> assignments = new ArrayList<>();
    for (int i = 0; i < placements.size(); i++) {
      PodPlacement p = placements.get(i);
      c.sync().assume(pods.get(i), p.podName());
      assignments.add(new PodAssignment(name(pods.get(i)), i, p.node(), Events.gpus(p.gpus())));
    }
    c.events()
        .publish(
            new JobPlaced(
                Events.id(d.jobId() + "/" + String.join(",", pods), "placed"),
                Instant.now(),
                gang.namespace,
                gang.id,
                d.policy(),
                assignments,
                Events.candidates(d)),
            TraceHeaders.NONE);
    c.writers().execute(() -> bind(gang, pods, placements));
    return true;
  }

  /** On a writer thread: pin each pod to its cards, then bind it. */
  private void bind(Gang gang, List<String> pods, List<PodPlacement> placements) {
    List<Integer> failed = new ArrayList<>();
    for (int i = 0; i < pods.size(); i++) {
      String key = pods.get(i);
      PodPlacement p = placements.get(i);
      try {
        if (!p.gpus().isEmpty()) {
          c.writer().annotate(gang.namespace, name(key), pinning(p.gpus()));
        }
        c.writer().bind(gang.namespace, name(key), p.node());
        int replica = i;
        c.post()
            .accept(
                () ->
                    c.events()
                        .publish(
                            new PodBound(
                                Events.id(key, "bound " + p.node()),
                                Instant.now(),
                                gang.namespace,
                                gang.id,
                                name(key),
                                p.node(),
                                Events.gpus(placements.get(replica).gpus())),
                            TraceHeaders.NONE));
      } catch (RuntimeException e) {
        LOG.warnf("binding foreign pod %s: %s", key, e.getMessage());
        failed.add(i);
      }
    }
    c.post()
        .accept(
            () -> {
              gang.writing = false;
              double now = c.clock().getAsDouble();
              for (int i : failed) {
                c.sync().forget(pods.get(i), now);
              }
              for (String key : pods) {
                gangOfPod.remove(key);
                gang.pods.remove(key);
              }
              if (gang.pods.isEmpty()) {
                gangs.remove(gang.id);
              }
              c.queue().capacityChanged();
            });
  }

  static Map<String, String> pinning(List<GpuSlot> gpus) {
    String uuids = gpus.stream().map(GpuSlot::uuid).collect(Collectors.joining(","));
    return Map.of(
        Names.GPU_INDEX,
        gpus.stream().map(g -> String.valueOf(g.index())).collect(Collectors.joining(",")),
        Names.GPU_UUID,
        uuids,
        Names.HAMI_GPU_UUID,
        uuids);
  }

  private void record(String key, String reason, String message) {
    try {
      c.writer().recordEvent(key.substring(0, key.indexOf('/')), name(key), reason, message);
    } catch (RuntimeException e) {
      LOG.debugf("recording %s for %s: %s", reason, key, e.getMessage());
    }
  }

  private static String name(String key) {
    return key.substring(key.indexOf('/') + 1);
  }
}
