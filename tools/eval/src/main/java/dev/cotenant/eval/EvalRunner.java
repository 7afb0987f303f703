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
import dev.cotenant.placement.model.RunTimeEstimate;
import dev.cotenant.placement.state.ClusterState;
import dev.cotenant.sim.ClusterSimulator;
import dev.cotenant.sim.SimConfig;
import dev.cotenant.sim.SimEvent;
import dev.cotenant.sim.SimPod;
import dev.cotenant.sim.cluster.NodeSpec;
import dev.cotenant.sim.workload.DeclaredJob;
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
   * fresh per run; a {@link LearnedModel} then learns from every pod that ends. {@code durations}
   * says what the engine is told of run times ({@link RunTimes}).
   */
  public record Setup(
      List<NodeSpec> cluster,
      List<WorkloadJob> workload,
      InterferenceModel truth,
      java.util.function.Supplier<? extends InterferenceModel> knowledge,
      SimConfig sim,
      EngineConfig engine,
      double jobOverheadSeconds,
      boolean gang,
      RunTimes.Durations durations) {

    /** The engine told the exact run times: the upper bound (seed 001 and seed 000 use it). */
    public Setup(
        List<NodeSpec> cluster,
        List<WorkloadJob> workload,
        InterferenceModel truth,
        java.util.function.Supplier<? extends InterferenceModel> knowledge,
        SimConfig sim,
        EngineConfig engine,
        double jobOverheadSeconds,
        boolean gang) {
      this(
          cluster,
          workload,
          truth,
          knowledge,
          sim,
          engine,
          jobOverheadSeconds,
          gang,
          RunTimes.Durations.exact);
    }

    /** The same run with other knowledge. */
    public Setup withKnowledge(java.util.function.Supplier<? extends InterferenceModel> k) {
      return new Setup(
          cluster, workload, truth, k, sim, engine, jobOverheadSeconds, gang, durations);
    }
  }

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

  /**
   * Times an OOM-killed pod is placed again before its job counts as failed. Retries go through
   * interference-aware, as the placement service places them, so the pair that overflowed is kept
   * apart. Higher than the service's default (2): a learner that starts empty meets a new unknown
   * co-tenant on each retry, and a job dropped from mean JCT would flatter its policy; the bound
   * only stops a model that never learns (knowledge none) from retrying forever.
   */
  static final int MAX_RETRIES = 10;

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

  /**
   * The engine's request for a workload row, with its run time as the engine is told it (the
   * workload's true solo time: the upper bound of {@code --durations exact}).
   */
  public static JobRequest request(WorkloadJob job, long sequence) {
    return request(
        job.declared(),
        sequence,
        RunTimeEstimate.given(job.soloDurationSeconds()),
        Optional.empty());
  }

  /** The engine's request for what a job declares, with the estimate the engine was given. */
  static JobRequest request(
      DeclaredJob job, long sequence, RunTimeEstimate runTime, Optional<String> policy) {
    Replicas replicas =
        job.replicas() instanceof dev.cotenant.sim.workload.Replicas.Auto auto
            ? new Replicas.Auto(auto.max())
            : new Replicas.Fixed(
                ((dev.cotenant.sim.workload.Replicas.Fixed) job.replicas()).count());
    PodShape shape =
        new PodShape(
            job.cpuMilli(), job.memoryMiB(), job.numGpu(), job.gpuMilli(), job.gpuMemoryMiB());
    return new JobRequest(job.name(), job.app(), 0, sequence, replicas, shape, runTime, policy);
  }

  /** A single-pod request for one replica of {@code job} (its shape, its app). */
  static JobRequest onePod(
      String id, DeclaredJob job, long sequence, RunTimeEstimate runTime, Optional<String> policy) {
    JobRequest whole = request(job, sequence, runTime, policy);
    return new JobRequest(
        id, job.app(), 0, sequence, new Replicas.Fixed(1), whole.shape(), runTime, policy);
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
    return run(setup, policy, progress, explained, r -> {});
  }

  /** As above; {@code submitted} hears every request the engine is given: all it knows of jobs. */
  static PolicyResult run(
      Setup setup,
      String policy,
      DoubleConsumer progress,
      java.util.function.ObjDoubleConsumer<Decision> explained,
      java.util.function.Consumer<JobRequest> submitted) {
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
    RunTimes runTimes = new RunTimes(setup.durations());
    // Per bound pod: the estimate it was placed with, its solo-equivalent seconds so far, and its
    // true remaining solo time (the simulator's side: what it is bound with).
    Map<String, RunTimeEstimate> estimateOfPod = new HashMap<>();
    Map<String, Double> soloSoFar = new HashMap<>();
    Map<String, Double> truthOfRequest = new HashMap<>();
    // Pods that resume from a checkpoint (moved ones, and their retries): a restart restores it.
    java.util.Set<String> restoring = new java.util.HashSet<>();
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
          if (!oom) {
            double solo =
                soloSoFar.merge(f.pod().name(), soloEquivalent(f, knowledge), Double::sum);
            runTimes.finished(f.pod().app(), solo, estimateOfPod.get(f.pod().name()));
          }
          if (oom && tracked.retries < MAX_RETRIES) {
            // Kubernetes recreates a failed pod of a job; here it goes back through placement.
            tracked.retries++;
            JobRequest retry =
                onePod(
                    f.pod().name() + "-retry" + tracked.retries,
                    tracked.job.declared(),
                    sequence++,
                    estimateOfPod.get(f.pod().name()),
                    Optional.of(dev.cotenant.placement.plugins.PluginNames.INTERFERENCE_AWARE));
            truthOfRequest.put(retry.jobId(), f.pod().soloSeconds());
            if (restoring.contains(f.pod().name())) {
              restoring.add(retry.podName(0));
            }
            tracked.requestsLeft++;
            tracked.podFinished(t, false);
            jobOfPodPrefix(retry, tracked.job.name(), jobOfPod);
            retryIds.add(retry.jobId());
            waiting.put(retry.jobId(), retry);
            submitted.accept(retry);
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
        // The engine's side sees what the job declares and the estimate; the truth stays here,
        // for the simulator.
        DeclaredJob declared = job.declared();
        // exact: the true solo time of this run, noise included (the first replica's).
        String firstPod =
            setup.gang() || job.replicas() instanceof dev.cotenant.sim.workload.Replicas.Auto
                ? job.name() + "-0"
                : job.name() + "-r0-0";
        RunTimeEstimate estimate =
            runTimes.estimate(
                declared, knowledge, job.soloDurationSeconds() / setup.sim().noiseFactor(firstPod));
        List<JobRequest> requests = new ArrayList<>();
        if (setup.gang() || job.replicas() instanceof dev.cotenant.sim.workload.Replicas.Auto) {
          requests.add(request(declared, sequence++, estimate, Optional.empty()));
        } else {
          // Without gangs each replica is scheduled on its own, as kube-scheduler does by default.
          int count = request(declared, 0, estimate, Optional.empty()).replicas().max();
          for (int r = 0; r < count; r++) {
            requests.add(
                onePod(job.name() + "-r" + r, declared, sequence++, estimate, Optional.empty()));
          }
        }
        byJob.put(job.name(), new Tracked(job, requests.size()));
        for (JobRequest request : requests) {
          jobOfPodPrefix(request, job.name(), jobOfPod);
          truthOfRequest.put(request.jobId(), job.soloDurationSeconds());
          waiting.put(request.jobId(), request);
          submitted.accept(request);
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
        double truth = truthOfRequest.remove(request.jobId());
        for (PodPlacement p : decision.placements()) {
          jobOfPod.put(p.podName(), tracked.job.name());
          estimateOfPod.put(
              p.podName(),
              request.replicas() instanceof Replicas.Auto
                  ? request.runTime().divided(decision.replicas())
                  : request.runTime());
          sim.bind(
              new SimPod(
                  p.podName(),
                  tracked.job.name(),
                  tracked.job.app(),
                  p.node(),
                  p.gpus().stream().map(GpuSlot::index).toList(),
                  request.shape().cpuMilli(),
                  p.gpus().isEmpty() ? 0 : p.gpus().get(0).memoryMiB(),
                  podSoloSeconds(request, decision.replicas(), truth)),
              // A retry of a pod that resumed from a checkpoint restores it again.
              restoring.contains(p.podName()) ? setup.sim().migrationSeconds() : 0);
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
          restoring.add(m.podName());
          if (stopped.isPresent()) {
            soloSoFar.merge(m.podName(), soloEquivalent(stopped.get(), knowledge), Double::sum);
          }
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

  /**
   * Seconds alone a run of {@code f} stands for, by what the engine knows: its run time times the
   * throughput its knowledge predicts beside the co-tenants it had, for the share of the run it had
   * them (the monitor reports run times and co-tenants, never solo times).
   */
  static double soloEquivalent(SimEvent.Finished f, InterferenceModel knowledge) {
    // Summed in numeric order, not by name: renaming apps must not change a bit of it.
    double loss =
        f.gpuCoTenantShares().entrySet().stream()
            .mapToDouble(
                e -> {
                  double t = knowledge.predict(f.pod().app(), e.getKey()).normalizedThroughput();
                  return e.getValue() * (1 - Math.max(0, Math.min(1, t)));
                })
            .sorted()
            .sum();
    return f.runSeconds() * Math.max(0.05, 1 - loss);
  }

  private static void jobOfPodPrefix(JobRequest request, String job, Map<String, String> jobOfPod) {
    for (int i = 0; i < request.replicas().max(); i++) {
      jobOfPod.put(request.podName(i), job);
    }
  }

  /** Per-replica true solo time: a right-sized job's work divides over the replicas chosen. */
  static double podSoloSeconds(JobRequest request, int replicas, double soloSeconds) {
    return request.replicas() instanceof Replicas.Auto ? soloSeconds / replicas : soloSeconds;
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
        ideal =
            request.replicas() instanceof Replicas.Auto
                ? job.soloDurationSeconds() / count
                : job.soloDurationSeconds();
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
