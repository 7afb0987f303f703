package dev.cotenant.placement.service;

import dev.cotenant.events.AppProfile;
import dev.cotenant.events.JobCancelRequested;
import dev.cotenant.events.JobSubmitted;
import dev.cotenant.interference.InterferenceMatrix;
import dev.cotenant.placement.PlacementEngine;
import dev.cotenant.placement.PlacementQueue;
import dev.cotenant.placement.mapping.NodeMapper;
import dev.cotenant.placement.mapping.ObservedPod;
import dev.cotenant.placement.mapping.ProfileModel;
import dev.cotenant.placement.messaging.OffsetTracker;
import dev.cotenant.placement.model.Decision;
import dev.cotenant.service.tracing.TraceHeaders;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Tracer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The one thread that owns the engine, its queue and the cluster state. Everything else (the
 * informers, the Kafka consumers, the pod writers, the REST API) hands it work through its inbox;
 * after each batch of work it runs the queue, so placement re-runs when something changed (a job
 * arrived, a pod ended, a node or a profile changed) and never on a timer.
 *
 * <p>While not {@link #activate active} (a standby replica) it keeps its view of the cluster
 * current but places nothing.
 */
public final class Scheduler implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Scheduler.class);
  private static final int BATCH = 4096;

  private final LinkedBlockingQueue<Runnable> inbox = new LinkedBlockingQueue<>();
  private final PlacementEngine engine;
  private final PlacementQueue queue;
  private final ClusterSync sync;
  private final Jobs jobs;
  private final ForeignPods foreign;
  private final InterferenceMatrix baseModel;
  private final Map<String, AppProfile> profiles = new HashMap<>();
  private final long t0 = System.nanoTime();
  private final Thread thread;
  private final Timer scheduleTimer;
  private volatile boolean running = true;
  private volatile boolean active;
  private volatile boolean synced;
  private boolean dirty;
  private boolean profilesChanged;

  /**
   * @param writer the Kubernetes writes, called from {@code writers}' threads
   * @param writers runs the writes of one job at a time each
   */
  public Scheduler(
      PlacementEngine engine,
      InterferenceMatrix baseModel,
      ClusterWriter writer,
      Executor writers,
      EventSink events,
      Settings settings,
      MeterRegistry metrics,
      Tracer tracer) {
    this.engine = engine;
    this.scheduleTimer =
        Timer.builder("cotenant.placement.schedule")
            .description("One run of the queue: the engine's decisions, before any write")
            .publishPercentiles(0.5, 0.99)
            .register(metrics);
    Gauge.builder("cotenant.placement.inbox", inbox, LinkedBlockingQueue::size)
        .description("Work waiting for the scheduler thread")
        .register(metrics);
    this.queue = new PlacementQueue(engine);
    this.baseModel = baseModel;
    this.sync = new ClusterSync(engine, this::expectedSeconds, this::now);
    Context context =
        new Context(
            engine, queue, sync, writer, writers, events, settings, this::post, this::now, tracer);
    this.jobs = new Jobs(context);
    this.foreign = new ForeignPods(context);
    this.thread = new Thread(this::run, "placement-scheduler");
    thread.setDaemon(true);
    thread.start();
  }

  /** What the scheduler is configured with. */
  public record Settings(
      java.util.function.Function<String, String> namespaceOf,
      int oomRetries,
      double gangTimeoutSeconds,
      int decisionsKept) {}

  // ---- inputs, from any thread ----

  public void nodeChanged(Node node) {
    NodeMapper.Result r = NodeMapper.map(node);
    post(
        () -> {
          if (sync.nodeChanged(r)) {
            queue.capacityChanged();
            dirty = true;
          }
        });
  }

  public void nodeDeleted(String name) {
    post(
        () -> {
          if (sync.nodeDeleted(name)) {
            queue.capacityChanged();
            dirty = true;
          }
        });
  }

  public void podChanged(Pod pod) {
    ObservedPod p = dev.cotenant.placement.mapping.PodMapper.observe(pod);
    post(
        () -> {
          // Who shared its card, asked before its end releases it (an OOM names the culprits).
          List<String> coTenants = p.oomKilled() ? sync.coTenantApps(p.key()) : List.of();
          if (sync.podChanged(p, now())) {
            queue.capacityChanged();
          }
          jobs.podChanged(p, active, coTenants);
          foreign.podChanged(p);
          dirty = true;
        });
  }

  public void podDeleted(Pod pod) {
    ObservedPod p = dev.cotenant.placement.mapping.PodMapper.observe(pod);
    post(
        () -> {
          if (sync.podDeleted(p.key(), now())) {
            queue.capacityChanged();
          }
          jobs.podDeleted(p, active);
          foreign.podDeleted(p);
          dirty = true;
        });
  }

  /** The informers listed the whole cluster: the state now matches it. */
  public void cacheSynced() {
    post(() -> synced = true);
  }

  /** A submission; {@code done} is called once its pods exist or it ended without any. */
  public void submitted(JobSubmitted job, TraceHeaders trace, OffsetTracker.Handle done) {
    post(
        () -> {
          jobs.submitted(job, trace, done, active);
          dirty = true;
        });
  }

  /** A cancel request; the future completes once it is carried out (or known to be moot). */
  public CompletableFuture<Void> cancelRequested(JobCancelRequested cancel, TraceHeaders trace) {
    CompletableFuture<Void> applied = new CompletableFuture<>();
    post(
        () -> {
          jobs.cancel(cancel, trace);
          dirty = true;
          applied.complete(null);
        });
    return applied;
  }

  public void profiles(List<AppProfile> batch) {
    post(
        () -> {
          for (AppProfile p : batch) {
            profiles.put(p.app(), p);
          }
          profilesChanged = true;
        });
  }

  /** Leadership won (or leader election is off): start placing. */
  public void activate() {
    post(
        () -> {
          if (!active) {
            active = true;
            LOG.info("active: placing jobs");
            jobs.activated();
            foreign.activated();
            queue.capacityChanged();
            dirty = true;
          }
        });
  }

  public boolean active() {
    return active;
  }

  public boolean synced() {
    return synced;
  }

  /** Runs {@code query} on the scheduler thread, between two batches. */
  public <T> CompletableFuture<T> ask(Function<View, T> query) {
    CompletableFuture<T> answer = new CompletableFuture<>();
    post(
        () -> {
          try {
            answer.complete(query.apply(new View()));
          } catch (RuntimeException e) {
            answer.completeExceptionally(e);
          }
        });
    return answer;
  }

  /** The explanations of recent decisions, readable from any thread. */
  public DecisionLog decisions() {
    return jobs.decisions();
  }

  /** What the REST API may read, on the scheduler thread only. */
  public final class View {
    private Map<String, List<dev.cotenant.placement.state.ReservedPod>> byNode;

    public dev.cotenant.placement.state.ClusterState state() {
      return engine.state();
    }

    public boolean active() {
      return active;
    }

    public double now() {
      return Scheduler.this.now();
    }

    public int pending() {
      return queue.pending() + queue.unschedulable().size();
    }

    public Map<String, NodeMapper.Result> nodes() {
      return sync.nodeResults();
    }

    public java.util.Collection<ObservedPod> pods() {
      return sync.pods();
    }

    /** The reservations on a node, pods seen and pods assumed. */
    public List<dev.cotenant.placement.state.ReservedPod> podsOn(String node) {
      if (byNode == null) {
        byNode = new HashMap<>();
        for (var p : engine.state().pods()) {
          byNode.computeIfAbsent(p.node().name(), n -> new java.util.ArrayList<>()).add(p);
        }
      }
      return byNode.getOrDefault(node, List.of());
    }

    /** Whose pod it is: the job's tenant, or a foreign pod's namespace. */
    public String tenantOf(dev.cotenant.placement.state.ReservedPod p) {
      return jobs.tenantOf(p.jobId());
    }
  }

  // ---- the loop ----

  void post(Runnable work) {
    inbox.add(work);
  }

  double now() {
    return (System.nanoTime() - t0) / 1e9;
  }

  private double expectedSeconds(String app) {
    AppProfile p = profiles.get(app);
    return p != null && p.soloSeconds().isPresent() ? p.soloSeconds().getAsDouble() : 0;
  }

  private void run() {
    java.util.ArrayList<Runnable> batch = new java.util.ArrayList<>(BATCH);
    while (running) {
      try {
        Runnable first = inbox.poll(foreign.nextTimerMillis(), TimeUnit.MILLISECONDS);
        if (first != null) {
          batch.add(first);
          inbox.drainTo(batch, BATCH - 1);
        }
        for (Runnable work : batch) {
          try {
            work.run();
          } catch (RuntimeException e) {
            LOG.errorf(e, "scheduler: %s", e);
          }
        }
        batch.clear();
        pass();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        LOG.errorf(e, "scheduler pass failed: %s", e);
      }
    }
  }

  private void pass() {
    if (profilesChanged || jobs.outcomes().incompatibleChanged()) {
      profilesChanged = false;
      engine.setModel(
          ProfileModel.of(baseModel, profiles.values(), jobs.outcomes().incompatiblePairs()));
      jobs.expectedSeconds(this::expectedSeconds);
      queue.capacityChanged();
      dirty = true;
    }
    if (!active || !synced) {
      return;
    }
    if (foreign.evaluate()) {
      dirty = true;
    }
    if (!dirty) {
      return;
    }
    dirty = false;
    long t0 = System.nanoTime();
    List<Decision> decisions = queue.schedule(now());
    scheduleTimer.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
    for (Decision d : decisions) {
      if (!foreign.decided(d)) {
        jobs.decided(d);
      }
    }
    jobs.afterPass();
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
