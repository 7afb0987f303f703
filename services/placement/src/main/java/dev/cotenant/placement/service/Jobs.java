package dev.cotenant.placement.service;

import dev.cotenant.events.JobCancelRequested;
import dev.cotenant.events.JobCancelled;
import dev.cotenant.events.JobEvent;
import dev.cotenant.events.JobFailed;
import dev.cotenant.events.JobPlaced;
import dev.cotenant.events.JobQueued;
import dev.cotenant.events.JobSpec;
import dev.cotenant.events.JobSubmitted;
import dev.cotenant.events.JobUnschedulable;
import dev.cotenant.events.PodAssignment;
import dev.cotenant.events.PodBound;
import dev.cotenant.events.PodKeys;
import dev.cotenant.placement.mapping.JobRequests;
import dev.cotenant.placement.mapping.ObservedPod;
import dev.cotenant.placement.mapping.PodFactory;
import dev.cotenant.placement.messaging.OffsetTracker;
import dev.cotenant.placement.model.Decision;
import dev.cotenant.placement.model.JobRequest;
import dev.cotenant.placement.model.PodPlacement;
import dev.cotenant.service.tracing.TraceHeaders;
import io.fabric8.kubernetes.api.model.Pod;
import io.opentelemetry.api.trace.Span;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import org.jboss.logging.Logger;

/**
 * Jobs from Kafka, from submission to outcome: queued, placed (pods created with their cards, then
 * bound), and ended (succeeded, failed, cancelled). A job's pods carry all that its outcome needs,
 * so outcomes are derived from the pods the cluster shows, also for jobs submitted before a
 * restart. Events that happen once per job or pod have ids derived from it, so a repeat after a
 * restart is dropped by consumers.
 *
 * <p>Runs on the scheduler thread; the Kubernetes writes run on the writer threads and report back
 * through the scheduler's inbox.
 */
final class Jobs {
  private final Context c;
  private static final Logger LOG = Logger.getLogger(Jobs.class);
  private static final int ENDED_KEPT = 100_000;

  private final DecisionLog decisions;
  private final Outcomes outcomes;
  private final Recovery recovery;
  private final Map<String, Job> jobs = new HashMap<>();
  private final List<Job> arrived = new ArrayList<>();

  // Jobs whose outcome was emitted (or that were cancelled before they arrived), newest last.
  private final Map<String, Boolean> ended =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > ENDED_KEPT;
        }
      };
  private ToDoubleFunction<String> expectedSeconds = app -> 0;
  private long sequence;

  Jobs(Context context) {
    this.c = context;
    this.decisions = new DecisionLog(context.settings().decisionsKept());
    this.outcomes = new Outcomes(context, this);
    this.recovery = new Recovery(context, this);
  }

  enum Phase {
    QUEUED,
    WRITING,
    PLACED
  }

  /** A job in flight. */
  static final class Job {
    final JobSubmitted submitted;
    final String namespace;

    /** The context its events carry on: its schedule span's once it has one. */
    TraceHeaders trace;

    /** {@link JobSpans#SCHEDULE}, from arrival until bound, failed or cancelled. */
    Span span = Span.getInvalid();

    final List<OffsetTracker.Handle> handles = new ArrayList<>();
    Phase phase = Phase.QUEUED;
    Decision decision;
    Optional<String> cancelledBy = Optional.empty();

    Job(JobSubmitted submitted, String namespace, TraceHeaders trace) {
      this.submitted = submitted;
      this.namespace = namespace;
      this.trace = trace;
    }

    String id() {
      return submitted.jobId();
    }

    String tenant() {
      return submitted.tenant();
    }

    void done() {
      handles.forEach(OffsetTracker.Handle::done);
      handles.clear();
    }

    void startSpan(io.opentelemetry.api.trace.Tracer tracer) {
      span = JobSpans.schedule(tracer, submitted, trace);
      // The span's context, or the submission's when tracing is off here.
      trace = TraceHeaders.of(span).or(trace);
    }
  }

  DecisionLog decisions() {
    return decisions;
  }

  void expectedSeconds(ToDoubleFunction<String> f) {
    this.expectedSeconds = f;
  }

  Job get(String id) {
    return jobs.get(id);
  }

  void put(Job job) {
    jobs.put(job.id(), job);
  }

  Job remove(String id) {
    return jobs.remove(id);
  }

  Optional<Job> job(String id) {
    return Optional.ofNullable(jobs.get(id));
  }

  /** Whose job it is: ours by its submission or its pods; a foreign one by its namespace. */
  String tenantOf(String jobId) {
    Job job = jobs.get(jobId);
    if (job != null) {
      return job.tenant();
    }
    List<ObservedPod> pods = c.sync().podsOfJob(jobId);
    if (!pods.isEmpty()) {
      return pods.get(0).tenant();
    }
    String key =
        jobId.startsWith(ForeignPods.JOB_PREFIX)
            ? jobId.substring(ForeignPods.JOB_PREFIX.length())
            : jobId;
    int slash = key.indexOf('/');
    return slash > 0 ? key.substring(0, slash) : "";
  }

  long nextSequence() {
    return sequence++;
  }

  double expected(String app) {
    return expectedSeconds.applyAsDouble(app);
  }

  Outcomes outcomes() {
    return outcomes;
  }

  int inFlight() {
    return jobs.size();
  }

  // ---- submissions and cancels ----

  void submitted(JobSubmitted s, TraceHeaders trace, OffsetTracker.Handle handle, boolean active) {
    Job known = jobs.get(s.jobId());
    if (known != null) {
      // A second delivery (the consumer read again from its committed offsets): done when the
      // first one is.
      if (known.phase == Phase.PLACED) {
        handle.done();
      } else {
        known.handles.add(handle);
      }
      return;
    }
    if (ended.containsKey(s.jobId())) {
      handle.done();
      return;
    }
    Job job = new Job(s, c.settings().namespaceOf().apply(s.tenant()), trace);
    job.handles.add(handle);
    List<ObservedPod> existing = c.sync().podsOfJob(s.jobId());
    if (!existing.isEmpty()) {
      // Placed before a restart: no schedule span now, its events carry the submission's context.
      recovery.adopt(job, existing, active);
      return;
    }
    job.startSpan(c.tracer());
    JobRequest request;
    try {
      request = JobRequests.of(s, sequence++, expectedSeconds.applyAsDouble(s.spec().app()));
    } catch (RuntimeException e) {
      end(
          job,
          new JobFailed(
              Events.id(s.jobId(), "failed"),
              Instant.now(),
              s.tenant(),
              s.jobId(),
              "InvalidSpec",
              e.getMessage()));
      job.done();
      return;
    }
    jobs.put(s.jobId(), job);
    c.queue().submit(request);
    arrived.add(job);
  }

  /**
   * After a pass: the jobs that arrived since the last one and still wait are told so, with their
   * place in the queue. A job placed at once goes straight to placed, as on kube-scheduler, and
   * costs no event more.
   */
  void afterPass() {
    if (arrived.isEmpty()) {
      return;
    }
    Map<String, Integer> position = new HashMap<>();
    int i = 0;
    for (var r : c.queue().ordered()) {
      position.put(r.jobId(), i++);
    }
    for (Job job : arrived) {
      if (job.phase == Phase.QUEUED && jobs.get(job.id()) == job) {
        emit(
            job,
            new JobQueued(
                Events.id(job.id(), "queued"),
                Instant.now(),
                job.tenant(),
                job.id(),
                position.getOrDefault(job.id(), 0),
                "waiting for placement"));
      }
    }
    arrived.clear();
  }

  void cancel(JobCancelRequested request, TraceHeaders trace) {
    Job job = jobs.get(request.jobId());
    String by = request.requestedBy() == null ? "" : request.requestedBy();
    if (job == null) {
      if (ended.containsKey(request.jobId())) {
        return;
      }
      List<ObservedPod> pods = c.sync().podsOfJob(request.jobId());
      String namespace =
          pods.isEmpty()
              ? c.settings().namespaceOf().apply(request.tenant())
              : pods.get(0).namespace();
      release(pods.stream().map(ObservedPod::key).toList());
      if (!pods.isEmpty()) {
        deleteJob(namespace, request.jobId());
      }
      // A cancel can overtake its submission (two topics): the submission is dropped on arrival.
      ended.put(request.jobId(), true);
      c.events().publish(cancelled(request.tenant(), request.jobId(), by), trace);
      return;
    }
    switch (job.phase) {
      case QUEUED -> {
        c.queue().cancel(job.id());
        end(job, cancelled(job.tenant(), job.id(), by));
        job.done();
      }
      case WRITING -> job.cancelledBy = Optional.of(by);
      case PLACED -> cancelPlaced(job, by);
    }
  }

  private void cancelPlaced(Job job, String by) {
    outcomes.cancelRetries(job.id());
    List<String> keys = new ArrayList<>();
    for (ObservedPod p : c.sync().podsOfJob(job.id())) {
      keys.add(p.key());
    }
    if (job.decision != null) {
      job.decision.placements().forEach(p -> keys.add(job.namespace + "/" + p.podName()));
    }
    release(keys);
    deleteJob(job.namespace, job.id());
    end(job, cancelled(job.tenant(), job.id(), by));
  }

  private JobCancelled cancelled(String tenant, String jobId, String by) {
    return new JobCancelled(
        Events.id(jobId, "cancelled"),
        Instant.now(),
        tenant,
        jobId,
        by.isBlank() ? "cancelled" : "cancelled by " + by);
  }

  /** Frees the capacity of pods that are going away now, before the informer says they are gone. */
  void release(List<String> podKeys) {
    double now = c.clock().getAsDouble();
    for (String key : podKeys) {
      c.sync().podDeleted(key, now);
    }
    c.queue().capacityChanged();
  }

  void deleteJob(String namespace, String jobId) {
    c.writers()
        .execute(
            () -> {
              try {
                c.writer().deleteJob(namespace, jobId);
              } catch (RuntimeException e) {
                LOG.warnf("job %s: deleting its pods: %s", jobId, e.getMessage());
              }
            });
  }

  // ---- decisions and the writes that carry them out ----

  void decided(Decision d) {
    if (outcomes.decided(d)) {
      return;
    }
    Job job = jobs.get(d.jobId());
    if (job == null || job.phase != Phase.QUEUED) {
      // Not ours to carry out (cancelled in the same batch): give the capacity back.
      if (d.placed()) {
        double now = c.clock().getAsDouble();
        d.placements().forEach(p -> c.engine().finished(p.podName(), now));
      }
      return;
    }
    decisions.record(job.tenant(), d);
    if (!d.placed()) {
      job.span.addEvent("unschedulable");
      emit(
          job,
          new JobUnschedulable(
              Events.random(), Instant.now(), job.tenant(), job.id(), Events.reasons(d)));
      String message = Events.failedScheduling(d, c.engine().state().nodeCount());
      c.writers().execute(() -> recordEvent(job.namespace, job.id() + "-0", message));
      return;
    }
    job.phase = Phase.WRITING;
    job.decision = d;
    JobSpans.placed(job.span, d);
    List<Pod> pods = new ArrayList<>();
    int replica = 0;
    String policy = d.policy();
    for (PodPlacement p : d.placements()) {
      c.sync().assume(job.namespace + "/" + p.podName(), p.podName());
      Pod pod =
          PodFactory.pod(job.submitted, job.namespace, p, replica++, d.placements().size(), policy);
      job.trace
          .traceparent()
          .ifPresent(t -> pod.getMetadata().getAnnotations().put(PodKeys.TRACEPARENT, t));
      pods.add(pod);
    }
    boolean interactive = job.submitted.spec().kind() == JobSpec.JobKind.INTERACTIVE;
    c.writers().execute(() -> write(job, pods, interactive));
  }

  private void recordEvent(String namespace, String pod, String message) {
    try {
      c.writer().recordEvent(namespace, pod, "FailedScheduling", message);
    } catch (RuntimeException e) {
      LOG.debugf("recording FailedScheduling for %s/%s: %s", namespace, pod, e.getMessage());
    }
  }

  /** On a writer thread: create the gang's pods (all, or none stay), then bind them. */
  private void write(Job job, List<Pod> pods, boolean interactive) {
    Span create = JobSpans.write(c.tracer(), JobSpans.CREATE, job.span, job.namespace, pods.size());
    try {
      c.writer().ensureNamespace(job.namespace);
      for (Pod pod : pods) {
        c.writer().createPod(pod);
      }
      if (interactive) {
        c.writer().createService(PodFactory.service(job.submitted, job.namespace));
      }
    } catch (RuntimeException e) {
      JobSpans.fail(create, "PodCreationFailed", e);
      c.post().accept(() -> writeFailed(job, "PodCreationFailed", e));
      return;
    } finally {
      create.end();
    }
    c.post().accept(() -> created(job));
    Span bind = JobSpans.write(c.tracer(), JobSpans.BIND, job.span, job.namespace, pods.size());
    try {
      for (Pod pod : pods) {
        String node =
            pod.getMetadata()
                .getAnnotations()
                .get(dev.cotenant.placement.kubernetes.Names.ASSIGNED_NODE);
        c.writer().bind(job.namespace, pod.getMetadata().getName(), node);
      }
    } catch (RuntimeException e) {
      JobSpans.fail(bind, "BindingFailed", e);
      c.post().accept(() -> writeFailed(job, "BindingFailed", e));
      return;
    } finally {
      bind.end();
    }
    c.post().accept(() -> bound(job));
  }

  private void created(Job job) {
    Decision d = job.decision;
    List<PodAssignment> assignments = new ArrayList<>();
    int replica = 0;
    for (PodPlacement p : d.placements()) {
      assignments.add(new PodAssignment(p.podName(), replica++, p.node(), Events.gpus(p.gpus())));
    }
    emitPlaced(
        job,
        d.policy(),
        assignments,
        Events.candidates(d),
        PodFactory.endpoints(job.submitted, job.namespace));
    // After the event is handed to the producer: the consumer flushes it before it commits.
    job.done();
  }

  private void bound(Job job) {
    job.phase = Phase.PLACED;
    job.span.end();
    for (PodPlacement p : job.decision.placements()) {
      emitBound(
          job.tenant(),
          job.id(),
          p.podName(),
          p.node(),
          p.gpus().stream().map(g -> g.index()).toList(),
          job.trace);
    }
    if (job.cancelledBy.isPresent()) {
      cancelPlaced(job, job.cancelledBy.get());
      return;
    }
    // Pods may end before their Bindings' answers are in (a short pod on a busy machine, or a
    // simulated cluster 100 times faster than real time): their ends were ignored while the job
    // was still being written, so they are judged now, or the job would never be said to end.
    outcomes.outcome(job.id());
  }

  void emitBound(
      String tenant,
      String jobId,
      String pod,
      String node,
      List<Integer> cards,
      TraceHeaders trace) {
    Map<Integer, String> uuids = new HashMap<>();
    c.engine()
        .state()
        .node(node)
        .ifPresent(n -> n.cards().forEach(c -> uuids.put(c.index(), c.uuid())));
    c.events()
        .publish(
            new PodBound(
                Events.id(pod, "bound " + node),
                Instant.now(),
                tenant,
                jobId,
                pod,
                node,
                cards.stream()
                    .map(i -> new dev.cotenant.events.GpuRef(i, uuids.getOrDefault(i, "")))
                    .toList()),
            trace);
  }

  private void writeFailed(Job job, String reason, RuntimeException e) {
    LOG.warnf("job %s: %s: %s", job.id(), reason, e.getMessage());
    JobSpans.fail(job.span, reason, e);
    List<String> keys = new ArrayList<>();
    job.decision.placements().forEach(p -> keys.add(job.namespace + "/" + p.podName()));
    double now = c.clock().getAsDouble();
    for (String key : keys) {
      c.sync().forget(key, now);
    }
    release(keys);
    deleteJob(job.namespace, job.id());
    job.done();
    if (job.cancelledBy.isPresent()) {
      end(job, cancelled(job.tenant(), job.id(), job.cancelledBy.get()));
    } else {
      end(
          job,
          new JobFailed(
              Events.id(job.id(), "failed"),
              Instant.now(),
              job.tenant(),
              job.id(),
              reason,
              e.getMessage()));
    }
  }

  // ---- outcomes: see Outcomes ----

  void podChanged(ObservedPod p, boolean active, List<String> coTenantApps) {
    if (p.ours() && active) {
      outcomes.podChanged(p, coTenantApps);
    }
  }

  void podDeleted(ObservedPod p, boolean active) {
    if (p.ours() && active) {
      outcomes.podDeleted(p);
    }
  }

  /** A standby became the leader: carry out what the old leader left half done. */
  void activated() {
    recovery.activated();
  }

  boolean ended(String jobId) {
    return ended.containsKey(jobId);
  }

  void end(Job job, JobEvent outcome) {
    jobs.remove(job.id());
    ended.put(job.id(), true);
    emit(job, outcome);
    if (job.phase != Phase.PLACED) {
      // Cancelled, refused or failed before its pods were bound: the schedule span ends here.
      job.span.addEvent(outcome.type().name());
      job.span.end();
    }
  }

  void endById(String jobId, JobEvent outcome) {
    Job job = jobs.remove(jobId);
    ended.put(jobId, true);
    c.events().publish(outcome, job == null ? TraceHeaders.NONE : job.trace);
  }

  /** The one JobPlaced of a job (its id is the job's), first told or told again. */
  void emitPlaced(
      Job job,
      String policy,
      List<PodAssignment> assignments,
      List<dev.cotenant.events.CandidateScore> candidates,
      List<String> endpoints) {
    emit(
        job,
        new JobPlaced(
            Events.id(job.id(), "placed"),
            Instant.now(),
            job.tenant(),
            job.id(),
            policy,
            assignments,
            candidates,
            endpoints));
  }

  void emit(Job job, JobEvent event) {
    c.events().publish(event, job.trace);
  }
}
