package dev.cotenant.placement.service;

import dev.cotenant.events.JobSubmitted;
import dev.cotenant.events.PodAssignment;
import dev.cotenant.events.PodBound;
import dev.cotenant.placement.mapping.ObservedPod;
import dev.cotenant.placement.mapping.PodFactory;
import dev.cotenant.placement.messaging.OffsetTracker;
import dev.cotenant.service.tracing.TraceHeaders;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Carries on after a restart or a failover from what the cluster shows: a submission read again
 * whose pods exist is adopted (unbound pods bound where their annotation says, its events told
 * again with their first ids); a gang only partly created is removed and placed again; a new leader
 * binds what the old one left unbound and says what it may not have said.
 */
final class Recovery {
  private static final Logger LOG = Logger.getLogger(Recovery.class);

  private final Context c;
  private final Jobs jobs;

  Recovery(Context context, Jobs jobs) {
    this.c = context;
    this.jobs = jobs;
  }

  /**
   * A submission whose pods exist already: placement created them before a restart. What is not
   * bound yet is bound where the pod says; a gang that was only partly created is removed and
   * placed again.
   */
  void adopt(Jobs.Job job, List<ObservedPod> existing, boolean active) {
    int replicas = existing.get(0).replicas();
    long distinct = existing.stream().map(ObservedPod::replica).distinct().count();
    boolean anyBound = existing.stream().anyMatch(ObservedPod::bound);
    if (distinct < replicas && !anyBound) {
      LOG.infof(
          "job %s: %d of %d pods exist from before; placing it again",
          job.id(), distinct, replicas);
      jobs.put(job);
      job.phase = Jobs.Phase.WRITING;
      c.writers()
          .execute(
              () -> {
                try {
                  c.writer().deleteJob(job.namespace, job.id());
                } catch (RuntimeException e) {
                  LOG.warnf("job %s: removing the partial gang: %s", job.id(), e.getMessage());
                }
                c.post()
                    .accept(
                        () -> {
                          jobs.remove(job.id());
                          submittedAgain(job);
                        });
              });
      return;
    }
    job.phase = Jobs.Phase.PLACED;
    jobs.put(job);
    announce(job, existing, PodFactory.endpoints(job.submitted, job.namespace));
    job.done();
    if (active) {
      bindUnbound(job, existing);
    }
  }

  /**
   * Says again what the pods of a job from before a restart show (placed, and which pods are
   * bound): the events may have been lost with the replica that made them. Their ids are those of
   * the first telling, so consumers that have them drop the repeat.
   */
  private void announce(Jobs.Job job, List<ObservedPod> pods, List<String> endpoints) {
    int replicas = pods.get(0).replicas();
    List<ObservedPod> live = pods.stream().filter(p -> !p.phase().terminal() || p.bound()).toList();
    if (live.stream().map(ObservedPod::replica).distinct().count() >= replicas) {
      List<PodAssignment> assignments = new ArrayList<>();
      for (ObservedPod p : live) {
        assignments.add(new PodAssignment(p.name(), p.replica(), p.node().orElse(""), refs(p)));
      }
      assignments.sort(java.util.Comparator.comparingInt(PodAssignment::replica));
      jobs.emitPlaced(job, pods.get(0).policy(), assignments, List.of(), endpoints);
    }
    for (ObservedPod p : live) {
      if (p.bound()) {
        c.events()
            .publish(
                new PodBound(
                    Events.id(p.name(), "bound " + p.node().get()),
                    Instant.now(),
                    job.tenant(),
                    job.id(),
                    p.name(),
                    p.node().get(),
                    refs(p)),
                job.trace);
      }
    }
  }

  private static List<dev.cotenant.events.GpuRef> refs(ObservedPod p) {
    List<dev.cotenant.events.GpuRef> out = new ArrayList<>();
    for (int i = 0; i < p.gpuIndexes().size(); i++) {
      out.add(
          new dev.cotenant.events.GpuRef(
              p.gpuIndexes().get(i), i < p.gpuUuids().size() ? p.gpuUuids().get(i) : ""));
    }
    return out;
  }

  private void submittedAgain(Jobs.Job job) {
    OffsetTracker.Handle combined = () -> job.handles.forEach(OffsetTracker.Handle::done);
    jobs.submitted(job.submitted, job.trace, combined, true);
  }

  private void bindUnbound(Jobs.Job job, List<ObservedPod> pods) {
    List<ObservedPod> unbound =
        pods.stream()
            .filter(p -> !p.bound() && p.node().isPresent() && !p.phase().terminal())
            .toList();
    if (unbound.isEmpty()) {
      return;
    }
    c.writers()
        .execute(
            () -> {
              for (ObservedPod p : unbound) {
                try {
                  c.writer().bind(p.namespace(), p.name(), p.node().get());
                  c.post()
                      .accept(
                          () ->
                              jobs.emitBound(
                                  job.tenant(),
                                  job.id(),
                                  p.name(),
                                  p.node().get(),
                                  p.gpuIndexes(),
                                  job.trace));
                } catch (RuntimeException e) {
                  LOG.warnf("job %s: binding %s again: %s", job.id(), p.key(), e.getMessage());
                }
              }
            });
  }

  /** A standby became the leader: carry out what the old leader left half done. */
  void activated() {
    Map<String, List<ObservedPod>> byJob = new HashMap<>();
    for (ObservedPod p : c.sync().pods()) {
      p.jobId().ifPresent(j -> byJob.computeIfAbsent(j, k -> new ArrayList<>()).add(p));
    }
    byJob.forEach(
        (jobId, pods) -> {
          Jobs.Job job = jobs.get(jobId);
          if (job != null && job.phase != Jobs.Phase.PLACED) {
            return;
          }
          if (pods.size() >= pods.get(0).replicas() || pods.stream().anyMatch(ObservedPod::bound)) {
            Jobs.Job known =
                job != null
                    ? job
                    : new Jobs.Job(stub(pods.get(0)), pods.get(0).namespace(), TraceHeaders.NONE);
            if (!jobs.ended(jobId)) {
              announce(known, pods, List.of());
            }
            bindUnbound(known, pods);
          }
          jobs.outcomes().outcome(jobId);
        });
  }

  /** A submission known only from its pods (for the events of a job adopted after failover). */
  private static JobSubmitted stub(ObservedPod p) {
    return new JobSubmitted("", Instant.EPOCH, p.tenant(), p.jobId().orElseThrow(), null);
  }
}
