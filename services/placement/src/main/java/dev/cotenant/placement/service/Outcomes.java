package dev.cotenant.placement.service;

import dev.cotenant.events.JobFailed;
import dev.cotenant.events.JobSucceeded;
import dev.cotenant.interference.InterferenceMatrix.PairKey;
import dev.cotenant.placement.kubernetes.Names;
import dev.cotenant.placement.mapping.JobRequests;
import dev.cotenant.placement.mapping.ObservedPod;
import dev.cotenant.placement.mapping.PodFactory;
import dev.cotenant.placement.model.Decision;
import dev.cotenant.placement.model.JobRequest;
import dev.cotenant.placement.model.PodPlacement;
import dev.cotenant.placement.model.Replicas;
import dev.cotenant.placement.plugins.PluginNames;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * A job's outcome from its pods: succeeded when every replica's latest attempt succeeded, failed
 * when one failed for good. A replica killed for GPU memory ({@code OOMKilled}) is placed again, as
 * a new pod ({@code <job>-<replica>-retry-<n>}), up to {@code oomRetries} times; the apps it shared
 * its card with are marked incompatible with it in the model, so the retry goes to a card without
 * them (seed 001's OOM pairs are such pairs).
 *
 * <p>Retries need the job's submission, so they happen for jobs this replica has read; after a
 * restart, a job known only from its pods fails on an OOM as on any other failure.
 */
final class Outcomes {
  private static final Logger LOG = Logger.getLogger(Outcomes.class);
  static final String RETRY = "/retry-";

  private final Context c;
  private final Jobs jobs;
  // Engine job id of a pending retry → what it retries.
  private final Map<String, Retry> retries = new HashMap<>();
  private final Set<PairKey> incompatible = new LinkedHashSet<>();
  private boolean incompatibleChanged;

  Outcomes(Context context, Jobs jobs) {
    this.c = context;
    this.jobs = jobs;
  }

  /** One replica placed again after an OOM kill. */
  record Retry(String jobId, int replica, int attempt) {
    String podName() {
      return jobId + "-" + replica + "-retry-" + attempt;
    }
  }

  /** Pairs seen to overflow a card together, and whether there are new ones since last asked. */
  Set<PairKey> incompatiblePairs() {
    incompatibleChanged = false;
    return Set.copyOf(incompatible);
  }

  boolean incompatibleChanged() {
    return incompatibleChanged;
  }

  void podChanged(ObservedPod p, List<String> coTenantApps) {
    String jobId = p.jobId().get();
    if (jobs.ended(jobId)) {
      return;
    }
    if (p.phase() == ObservedPod.Phase.FAILED && p.oomKilled() && retry(p, coTenantApps)) {
      return;
    }
    outcome(jobId);
  }

  /** Queues the replica again if it may be retried; false if it may not (the job fails). */
  private boolean retry(ObservedPod p, List<String> coTenantApps) {
    String jobId = p.jobId().get();
    Jobs.Job job = jobs.job(jobId).orElse(null);
    if (job == null || job.submitted.spec() == null || p.attempt() >= c.settings().oomRetries()) {
      return false;
    }
    Retry retry = new Retry(jobId, p.replica(), p.attempt() + 1);
    String id = jobId + RETRY + retry.replica() + "-" + retry.attempt();
    if (retries.containsKey(id)
        || c.sync().pod(p.namespace() + "/" + retry.podName()).isPresent()) {
      return true; // already under way (the informer repeats updates)
    }
    for (String other : coTenantApps) {
      incompatibleChanged |= incompatible.add(new PairKey(p.app(), other));
      incompatibleChanged |= incompatible.add(new PairKey(other, p.app()));
    }
    JobRequest request =
        new JobRequest(
            id,
            p.app(),
            job.submitted.spec().priority(),
            jobs.nextSequence(),
            new Replicas.Fixed(1),
            JobRequests.shape(job.submitted.spec().resources()),
            jobs.expected(p.app()),
            // The one policy that keeps incompatible pairs apart, whatever the job asked for.
            Optional.of(PluginNames.INTERFERENCE_AWARE));
    retries.put(id, retry);
    c.queue().submit(request);
    LOG.infof(
        "pod %s was OOM-killed beside %s; placing replica %d again (attempt %d of %d)",
        p.key(), coTenantApps, retry.replica(), retry.attempt(), c.settings().oomRetries());
    return true;
  }

  /** Carries out a decision about a retry; false when it is not one. */
  boolean decided(Decision d) {
    Retry retry = retries.get(d.jobId());
    if (retry == null) {
      return false;
    }
    Jobs.Job job = jobs.job(retry.jobId()).orElse(null);
    if (!d.placed()) {
      return true; // stays queued until capacity frees
    }
    if (job == null) {
      retries.remove(d.jobId());
      double now = c.clock().getAsDouble();
      d.placements().forEach(p -> c.engine().finished(p.podName(), now));
      return true;
    }
    PodPlacement engine = d.placements().get(0);
    PodPlacement placement =
        new PodPlacement(retry.podName(), engine.node(), engine.gpus(), engine.predictedSeconds());
    c.sync().assume(job.namespace + "/" + retry.podName(), engine.podName());
    int replicas =
        c.sync().podsOfJob(retry.jobId()).stream().mapToInt(ObservedPod::replicas).max().orElse(1);
    Pod pod =
        PodFactory.pod(
            job.submitted, job.namespace, placement, retry.replica(), replicas, d.policy());
    pod.getMetadata().getAnnotations().put(Names.ATTEMPT, String.valueOf(retry.attempt()));
    c.writers()
        .execute(
            () -> {
              try {
                c.writer().createPod(pod);
                c.writer().bind(job.namespace, retry.podName(), engine.node());
                c.post()
                    .accept(
                        () -> {
                          retries.remove(d.jobId());
                          jobs.emitBound(
                              job.tenant(),
                              retry.jobId(),
                              retry.podName(),
                              engine.node(),
                              engine.gpus().stream().map(g -> g.index()).toList(),
                              job.trace);
                        });
              } catch (RuntimeException e) {
                LOG.warnf("retry %s: %s", retry.podName(), e.getMessage());
                c.post()
                    .accept(
                        () -> {
                          retries.remove(d.jobId());
                          c.sync()
                              .forget(
                                  job.namespace + "/" + retry.podName(), c.clock().getAsDouble());
                          outcome(retry.jobId());
                        });
              }
            });
    return true;
  }

  void cancelRetries(String jobId) {
    retries
        .entrySet()
        .removeIf(
            e -> {
              if (e.getValue().jobId().equals(jobId)) {
                c.queue().cancel(e.getKey());
                return true;
              }
              return false;
            });
  }

  private boolean retrying(String jobId, int replica) {
    for (Retry r : retries.values()) {
      if (r.jobId().equals(jobId) && r.replica() == replica) {
        return true;
      }
    }
    return false;
  }

  void podDeleted(ObservedPod p) {
    String jobId = p.jobId().get();
    if (jobs.ended(jobId) || p.phase().terminal()) {
      return;
    }
    Jobs.Job job = jobs.job(jobId).orElse(null);
    if (job != null && job.phase != Jobs.Phase.PLACED) {
      return;
    }
    fail(jobId, p.tenant(), "PodDeleted", "pod " + p.key() + " was deleted before it finished");
    failGang(p.namespace(), jobId);
  }

  private void fail(String jobId, String tenant, String reason, String message) {
    jobs.endById(
        jobId,
        new JobFailed(Events.id(jobId, "failed"), Instant.now(), tenant, jobId, reason, message));
  }

  /** A gang is one computation: the other replicas cannot finish it; free their capacity. */
  private void failGang(String namespace, String jobId) {
    cancelRetries(jobId);
    List<String> running = new ArrayList<>();
    for (ObservedPod o : c.sync().podsOfJob(jobId)) {
      if (!o.phase().terminal()) {
        running.add(o.key());
      }
    }
    if (!running.isEmpty()) {
      jobs.release(running);
      jobs.deleteJob(namespace, jobId);
    }
  }

  /** Whether the job's pods say it ended, and if so, says so once. */
  void outcome(String jobId) {
    if (jobs.ended(jobId)) {
      return;
    }
    Jobs.Job job = jobs.job(jobId).orElse(null);
    if (job != null && job.phase != Jobs.Phase.PLACED) {
      return;
    }
    List<ObservedPod> pods = c.sync().podsOfJob(jobId);
    if (pods.isEmpty()) {
      return;
    }
    // Each replica's latest attempt speaks for it.
    Map<Integer, ObservedPod> latest = new HashMap<>();
    for (ObservedPod p : pods) {
      latest.merge(p.replica(), p, (a, b) -> b.attempt() > a.attempt() ? b : a);
    }
    ObservedPod first = pods.get(0);
    Instant start = null;
    Instant end = null;
    int succeeded = 0;
    for (ObservedPod p : latest.values()) {
      if (p.phase() == ObservedPod.Phase.FAILED && !retrying(jobId, p.replica())) {
        fail(
            jobId,
            p.tenant(),
            p.failure().isEmpty() ? "Failed" : p.failure(),
            "pod " + p.name() + (p.failureMessage().isEmpty() ? "" : ": " + p.failureMessage()));
        failGang(p.namespace(), jobId);
        return;
      }
      if (p.phase() == ObservedPod.Phase.SUCCEEDED) {
        succeeded++;
        if (p.startedAt().isPresent() && (start == null || p.startedAt().get().isBefore(start))) {
          start = p.startedAt().get();
        }
        if (p.finishedAt().isPresent() && (end == null || p.finishedAt().get().isAfter(end))) {
          end = p.finishedAt().get();
        }
      }
    }
    if (succeeded >= first.replicas()) {
      double seconds =
          start != null && end != null ? Duration.between(start, end).toMillis() / 1000.0 : 0;
      jobs.endById(
          jobId,
          new JobSucceeded(
              Events.id(jobId, "succeeded"), Instant.now(), first.tenant(), jobId, seconds));
    }
  }
}
