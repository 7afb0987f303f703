package dev.cotenant.eval;

import dev.cotenant.interference.InterferenceModel;
import dev.cotenant.interference.learn.LearnedModel;
import dev.cotenant.interference.learn.Observation;
import dev.cotenant.placement.EngineConfig;
import dev.cotenant.placement.PlacementEngine;
import dev.cotenant.placement.PlacementQueue;
import dev.cotenant.placement.framework.Predictions;
import dev.cotenant.placement.model.Decision;
import dev.cotenant.placement.model.GpuInfo;
import dev.cotenant.placement.model.GpuSlot;
import dev.cotenant.placement.model.JobRequest;
import dev.cotenant.placement.model.Migration;
import dev.cotenant.placement.model.NodeInfo;
import dev.cotenant.placement.model.PodPlacement;
import dev.cotenant.placement.model.PodShape;
import dev.cotenant.placement.model.Replicas;
import dev.cotenant.placement.state.ClusterState;
import dev.cotenant.sim.ClusterSimulator;
import dev.cotenant.sim.SimConfig;
import dev.cotenant.sim.SimEvent;
import dev.cotenant.sim.SimPod;
import dev.cotenant.sim.cluster.NodeSpec;
import dev.cotenant.sim.workload.WorkloadJob;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.DoubleConsumer;

/**
 * Runs one policy over a workload: the placement engine decides, the simulator runs the pods in
 * virtual time against the ground truth, and the engine hears of every finish. The same engine code
 * the placement service runs; nothing here decides placement.
 */
public final class EvalRunner {

  /**
   * What a run needs besides the policy. {@code knowledge} makes the model the engine starts with,
   * fresh per run; a {@link LearnedModel} then learns from every pod that ends.
   */
  public record Setup(
      List<NodeSpec> cluster,
      List<WorkloadJob> workload,
      InterferenceModel truth,
      java.util.function.Supplier<? extends InterferenceModel> knowledge,
      SimConfig sim,
      EngineConfig engine,
      double jobOverheadSeconds,
      boolean gang) {}

  /** How one job went. */
  public record JobResult(
      String name,
      String app,
      double submitSeconds,
      OptionalDouble placedSeconds,
      OptionalDouble finishedSeconds,
      int replicas,
      double idealSeconds,
      boolean failed,
      String placement) {

    public OptionalDouble completionSeconds() {
      return finishedSeconds.isPresent()
          ? OptionalDouble.of(finishedSeconds.getAsDouble() - submitSeconds)
          : OptionalDouble.empty();
    }
  }

  /** Times an OOM-killed pod is placed again before its job counts as failed. */
  static final int MAX_RETRIES = 3;

  private EvalRunner() {}

  public static List<NodeInfo> nodeInfos(List<NodeSpec> cluster) {
    List<NodeInfo> nodes = new ArrayList<>();
    for (NodeSpec spec : cluster) {
      List<GpuInfo> gpus = new ArrayList<>();
      for (int i = 0; i < spec.numGpu(); i++) {
        gpus.add(new GpuInfo(i, gpuUuid(spec.name(), i), spec.gpuModel(), spec.gpuMemoryMiB()));
      }
      nodes.add(new NodeInfo(spec.name(), spec.cpuMilli(), spec.memoryMiB(), gpus));
    }
    return nodes;
  }

  /** A stable made-up UUID per card, as a real node reports one per GPU. */
  static String gpuUuid(String node, int index) {
    return "GPU-" + java.util.UUID.nameUUIDFromBytes((node + "/" + index).getBytes());
  }

  /** The engine's request for a workload row. */
  public static JobRequest request(WorkloadJob job, long sequence) {
    Replicas replicas =
        job.replicas() instanceof dev.cotenant.sim.workload.Replicas.Auto auto
            ? new Replicas.Auto(auto.max())
            : new Replicas.Fixed(
                ((dev.cotenant.sim.workload.Replicas.Fixed) job.replicas()).count());
    PodShape shape =
        new PodShape(
            job.cpuMilli(), job.memoryMiB(), job.numGpu(), job.gpuMilli(), job.gpuMemoryMiB());
    return new JobRequest(
        job.name(),
        job.app(),
        0,
        sequence,
        replicas,
        shape,
        job.soloDurationSeconds(),
        Optional.empty());
  }

  /** A single-pod request for one replica of {@code job} (its shape, its app). */
  static JobRequest onePod(String id, WorkloadJob job, long sequence, double soloSeconds) {
    JobRequest whole = request(job, sequence);
    return new JobRequest(
        id,
        job.app(),
        0,
        sequence,
        new Replicas.Fixed(1),
        whole.shape(),
        soloSeconds,
        Optional.empty());
  }

  public static PolicyResult run(Setup setup, String policy, DoubleConsumer progress) {
    return run(setup, policy, progress, (t, d) -> {});
  }

  /** As above; {@code explained} hears every decision the engine made, with its time. */
  public static PolicyResult run(
      Setup setup,
      String policy,
      DoubleConsumer progress,
      java.util.function.ObjDoubleConsumer<Decision> explained) {
    List<WorkloadJob> jobs = new ArrayList<>(setup.workload());
    jobs.sort(Comparator.comparingDouble(WorkloadJob::submitTimeSeconds)); // stable: file order
    List<NodeInfo> nodes = nodeInfos(setup.cluster());
    ClusterState state = new ClusterState(nodes);
    InterferenceModel knowledge = setup.knowledge().get();
    LearnedModel learner = knowledge instanceof LearnedModel l ? l : null;
    PlacementEngine engine =
        new PlacementEngine(state, knowledge, setup.engine().withDefaultPolicy(policy));
    PlacementQueue queue = new PlacementQueue(engine);
    ClusterSimulator sim = new ClusterSimulator(setup.cluster(), setup.truth(), setup.sim());
    Fragmentation fragmentation =
        new Fragmentation(
            nodes, state, new Predictions(knowledge), setup.engine().withDefaultPolicy(policy));

    Map<String, Tracked> byJob = new LinkedHashMap<>();
    Map<String, String> jobOfPod = new HashMap<>();
    Map<String, JobRequest> waiting = new LinkedHashMap<>();
    java.util.Set<String> retryIds = new java.util.HashSet<>();
    boolean learned = false;
    long decisions = 0;
    long decisionNanos = 0;
    int migrations = 0;
    int next = 0;
    long sequence = 0;
    double now = 0;
    while (true) {
      double arrival =
          next < jobs.size() ? jobs.get(next).submitTimeSeconds() : Double.POSITIVE_INFINITY;
      OptionalDouble simNext = sim.nextEventTime();
      double t = Math.min(arrival, simNext.orElse(Double.POSITIVE_INFINITY));
      if (t == Double.POSITIVE_INFINITY) {
        break; // nothing runs and nothing arrives: whatever still waits can never start
      }
      fragmentation.accumulate(now, t, waiting.values());
      now = t;
      boolean changed = false;
      for (SimEvent e : sim.advanceTo(t)) {
        if (e instanceof SimEvent.Finished f) {
          engine.finished(f.pod().name(), t);
          changed = true;
          if (learner != null) {
            learner.observe(observation(f, setup.truth()));
            learned = true;
          }
          Tracked tracked = byJob.get(jobOfPod.get(f.pod().name()));
          boolean oom = f.outcome() == SimEvent.Outcome.OOM_KILLED;
          if (oom && tracked.retries < MAX_RETRIES) {
            // Kubernetes recreates a failed pod of a job; here it goes back through placement.
            tracked.retries++;
            JobRequest retry =
                onePod(
                    f.pod().name() + "-retry" + tracked.retries,
                    tracked.job,
                    sequence++,
                    f.pod().soloSeconds());
            tracked.requestsLeft++;
            tracked.podFinished(t, false);
            jobOfPodPrefix(retry, tracked.job.name(), jobOfPod);
            retryIds.add(retry.jobId());
            waiting.put(retry.jobId(), retry);
            queue.submit(retry);
          } else {
            tracked.podFinished(t, oom);
          }
        }
      }
      if (learned) {
        // The engine and the fragmentation measure cache predictions; drop them.
        engine.setModel(learner);
        fragmentation.setModel(learner);
        learned = false;
      }
      if (changed) {
        queue.capacityChanged();
      }
      while (next < jobs.size() && jobs.get(next).submitTimeSeconds() <= t) {
        WorkloadJob job = jobs.get(next++);
        List<JobRequest> requests = new ArrayList<>();
        if (setup.gang() || job.replicas() instanceof dev.cotenant.sim.workload.Replicas.Auto) {
          requests.add(request(job, sequence++));
        } else {
          // Without gangs each replica is scheduled on its own, as kube-scheduler does by default.
          JobRequest whole = request(job, 0);
          for (int r = 0; r < whole.replicas().max(); r++) {
            requests.add(onePod(job.name() + "-r" + r, job, sequence++, whole.soloSeconds()));
          }
        }
        byJob.put(job.name(), new Tracked(job, requests.size()));
        for (JobRequest request : requests) {
          jobOfPodPrefix(request, job.name(), jobOfPod);
          waiting.put(request.jobId(), request);
          queue.submit(request);
        }
      }
      progress.accept(byJob.size() / (double) jobs.size());
      long start = System.nanoTime();
      List<Decision> made = queue.schedule(t);
      decisionNanos += System.nanoTime() - start;
      for (Decision decision : made) {
        decisions++;
        explained.accept(decision, t);
        if (!decision.placed()) {
          continue;
        }
        JobRequest request = waiting.remove(decision.jobId());
        Tracked tracked = byJob.get(jobOfPod.get(decision.placements().get(0).podName()));
        tracked.placed(t, decision.replicas(), request, retryIds.contains(request.jobId()));
        if (tracked.placement.isEmpty()) {
          PodPlacement first = decision.placements().get(0);
          tracked.placement =
              first.node()
                  + first.gpus().stream()
                      .map(g -> "/gpu" + g.index())
                      .collect(java.util.stream.Collectors.joining());
        }
        for (PodPlacement p : decision.placements()) {
          jobOfPod.put(p.podName(), tracked.job.name());
          sim.bind(
              new SimPod(
                  p.podName(),
                  tracked.job.name(),
                  tracked.job.app(),
                  p.node(),
                  p.gpus().stream().map(GpuSlot::index).toList(),
                  request.shape().cpuMilli(),
                  p.gpus().isEmpty() ? 0 : p.gpus().get(0).memoryMiB(),
                  podSoloSeconds(request, decision.replicas())));
        }
      }
      if (queue.pending() == 0) {
        // Nothing waits for capacity (jobs that fit no node are set aside): re-pair running pods
        // where that pays (off unless the jobs are checkpointable and the policy prices
        // interference).
        for (Migration m : engine.rebalance(t)) {
          migrations++;
          Optional<SimEvent.Finished> stopped =
              sim.migrate(
                  m.podName(), m.to().node(), m.to().gpus().stream().map(GpuSlot::index).toList());
          if (learner != null && stopped.isPresent()) {
            learner.observe(observation(stopped.get(), setup.truth()));
            learned = true;
          }
        }
      }
    }
    List<JobResult> results = new ArrayList<>();
    for (Tracked t : byJob.values()) {
      results.add(t.result(setup.jobOverheadSeconds()));
    }
    return PolicyResult.of(
        policy,
        results,
        sim.busyGpuSeconds(),
        sim.gpuCount(),
        fragmentation.share(),
        decisions,
        decisionNanos,
        migrations);
  }

  /**
   * What a monitor reports of a pod that ended: run time, co-tenant shares and, as training jobs
   * know their step count, the work done in the app's own units (solo seconds × the truth's solo
   * rate; solo seconds where the truth gives no rate). The learner never sees the truth's pairs.
   */
  static Observation observation(SimEvent.Finished f, InterferenceModel truth) {
    if (f.outcome() == SimEvent.Outcome.OOM_KILLED) {
      return Observation.oomKilled(f.pod().app(), 1, f.gpuCoTenantShares());
    }
    double rate = truth.profile(f.pod().app()).map(a -> a.soloRate().orElse(1.0)).orElse(1.0);
    return Observation.completed(f.pod().app(), f.runSeconds(), f.gpuCoTenantShares())
        .withWork(f.pod().soloSeconds() * rate);
  }

  private static void jobOfPodPrefix(JobRequest request, String job, Map<String, String> jobOfPod) {
    for (int i = 0; i < request.replicas().max(); i++) {
      jobOfPod.put(request.podName(i), job);
    }
  }

  /** Per-replica solo time: a right-sized job's work divides over the replicas chosen. */
  static double podSoloSeconds(JobRequest request, int replicas) {
    return request.replicas() instanceof Replicas.Auto
        ? request.soloSeconds() / replicas
        : request.soloSeconds();
  }

  /** A job's progress through the run. */
  private static final class Tracked {
    final WorkloadJob job;
    int requestsLeft;
    int podsLeft;
    int retries;
    int replicas;
    double ideal;
    boolean failed;
    OptionalDouble placedAt = OptionalDouble.empty();
    String placement = "";
    double lastFinish;

    Tracked(WorkloadJob job, int requests) {
      this.job = job;
      this.requestsLeft = requests;
    }

    void placed(double t, int count, JobRequest request, boolean retry) {
      if (placedAt.isEmpty()) {
        placedAt = OptionalDouble.of(t);
      }
      requestsLeft--;
      podsLeft += count;
      if (!retry) {
        replicas += count;
        ideal = podSoloSeconds(request, count);
      }
    }

    void podFinished(double t, boolean oom) {
      podsLeft--;
      failed |= oom;
      lastFinish = Math.max(lastFinish, t);
    }

    JobResult result(double overhead) {
      boolean done = requestsLeft == 0 && podsLeft == 0 && placedAt.isPresent();
      return new JobResult(
          job.name(),
          job.app(),
          job.submitTimeSeconds(),
          placedAt,
          done && !failed ? OptionalDouble.of(lastFinish + overhead) : OptionalDouble.empty(),
          replicas,
          ideal + overhead,
          failed,
          placement);
    }
  }
}
