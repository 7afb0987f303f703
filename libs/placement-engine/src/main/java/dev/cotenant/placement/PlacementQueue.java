package dev.cotenant.placement;

import dev.cotenant.placement.framework.QueueSort;
import dev.cotenant.placement.framework.SortContext;
import dev.cotenant.placement.model.Decision;
import dev.cotenant.placement.model.JobRequest;
import dev.cotenant.placement.state.ClusterState;
import dev.cotenant.placement.state.PodReservation;
import dev.cotenant.placement.state.ReservedPod;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pending jobs, placed by priority (higher first), then the default policy's queue sort (one queue,
 * one sort, as in kube-scheduler), then FIFO; with EASY backfill.
 *
 * <p>When the head job cannot be placed, its shadow time is its predicted earliest start: running
 * pods are released in order of predicted end on a copy of the state until the head fits. A later
 * job may then jump ahead only if it does not delay the head: it ends by the shadow time, or the
 * head still fits at the shadow time with it running. A head that does not fit even the empty
 * cluster is reported ({@code NeverFits}) and set aside as unschedulable, so it cannot block the
 * queue; like kube-scheduler's unschedulable pods, it is tried again when the node set changes (a
 * node added, removed or replaced), and reported again if it still cannot fit.
 *
 * <p>Work happens on changes, not timers: {@link #schedule} does nothing unless a job was submitted
 * or cancelled or {@link #capacityChanged} was called since the last pass.
 */
public final class PlacementQueue {

  private final PlacementEngine engine;
  private final Map<String, JobRequest> pending = new LinkedHashMap<>();
  // Jobs that fit not even the empty cluster, with the node set they were judged against.
  private final Map<String, JobRequest> unschedulable = new LinkedHashMap<>();
  private long unschedulableNodeSet = -1;
  private boolean dirty = true;
  private long capacityEpoch;
  private String reportedHead = "";
  private long reportedEpoch = -1;

  public PlacementQueue(PlacementEngine engine) {
    this.engine = engine;
  }

  public void submit(JobRequest job) {
    if (unschedulable.containsKey(job.jobId()) || pending.putIfAbsent(job.jobId(), job) != null) {
      throw new IllegalArgumentException("jobId '" + job.jobId() + "' is already pending");
    }
    engine.demand().arrived(job);
    engine.demand().queued(job);
    dirty = true;
  }

  public boolean cancel(String jobId) {
    if (unschedulable.remove(jobId) != null) {
      return true;
    }
    JobRequest removed = pending.remove(jobId);
    if (removed != null) {
      engine.demand().dequeued(removed);
      dirty = true;
    }
    return removed != null;
  }

  /** Pods finished or nodes changed: blocked jobs get another chance on the next pass. */
  public void capacityChanged() {
    capacityEpoch++;
    dirty = true;
  }

  /** Jobs waiting to be placed, not counting the {@link #unschedulable} ones. */
  public int pending() {
    return pending.size();
  }

  /** Jobs set aside because they fit not even the empty cluster, in the order they were found. */
  public List<JobRequest> unschedulable() {
    return List.copyOf(unschedulable.values());
  }

  /** Pending jobs in the order they are tried. */
  public List<JobRequest> ordered() {
    List<JobRequest> jobs = new ArrayList<>(pending.values());
    QueueSort sort = engine.policy(engine.config().defaultPolicy()).orElseThrow().queueSort();
    SortContext ctx = new SortContext(engine.model(), engine.state().largestCardMemoryMiB());
    jobs.sort(
        Comparator.comparingInt(JobRequest::priority)
            .reversed()
            .thenComparing((a, b) -> sort.compare(a, b, ctx))
            .thenComparingLong(JobRequest::sequence));
    return jobs;
  }

  /**
   * Places what can be placed now. Returns the placed decisions, plus the head's unplaceable
   * decision when it stays blocked (once per capacity change) or can never fit.
   */
  public List<Decision> schedule(double nowSeconds) {
    long nodeSet = engine.state().nodeSetVersion();
    if (!unschedulable.isEmpty() && nodeSet != unschedulableNodeSet) {
      // Other nodes: what never fitted may fit now. Back in line, in their old order.
      unschedulable
          .values()
          .forEach(
              job -> {
                pending.put(job.jobId(), job);
                engine.demand().queued(job);
              });
      unschedulable.clear();
      dirty = true;
    }
    if (!dirty) {
      return List.of();
    }
    dirty = false;
    List<Decision> out = new ArrayList<>();
    List<JobRequest> order = ordered();
    int i = 0;
    while (i < order.size()) {
      JobRequest head = order.get(i);
      Decision d = engine.place(head, nowSeconds);
      if (d.placed()) {
        dequeue(head);
        out.add(d);
        i++;
        continue;
      }
      if (!engine.fitsEmptyCluster(head)) {
        dequeue(head);
        unschedulable.put(head.jobId(), head);
        unschedulableNodeSet = nodeSet;
        out.add(engine.neverFits(head, d));
        i++;
        continue;
      }
      if (!head.jobId().equals(reportedHead) || reportedEpoch != capacityEpoch) {
        reportedHead = head.jobId();
        reportedEpoch = capacityEpoch;
        out.add(d);
      }
      backfill(head, order.subList(i + 1, order.size()), nowSeconds, out);
      break;
    }
    return out;
  }

  private void backfill(JobRequest head, List<JobRequest> rest, double now, List<Decision> out) {
    if (rest.isEmpty()) {
      return;
    }
    ClusterState shadowState = engine.state().copy();
    PlacementEngine shadow = engine.on(shadowState);
    double shadowTime = shadowTime(head, shadowState, shadow, now);
    for (JobRequest job : rest) {
      Decision trial = engine.tryPlace(job, now);
      if (!trial.placed()) {
        continue;
      }
      double end = now;
      for (var p : trial.placements()) {
        end = Math.max(end, now + p.predictedSeconds());
      }
      if (end <= shadowTime) {
        place(job, now, out);
        continue;
      }
      // Ends after the shadow time: allowed only if the head still fits then, beside it.
      List<String> added = new ArrayList<>();
      boolean ok = true;
      try {
        for (var p : trial.placements()) {
          shadowState.reserve(
              new PodReservation(
                  p.podName(),
                  job.jobId(),
                  job.app(),
                  job.shape(),
                  p.node(),
                  p.gpus().stream().map(g -> g.index()).toList(),
                  now,
                  now + p.predictedSeconds(),
                  1.0));
          added.add(p.podName());
        }
      } catch (IllegalStateException e) {
        ok = false;
      }
      ok = ok && shadow.tryPlace(head, shadowTime).placed();
      if (ok) {
        place(job, now, out);
      } else {
        added.forEach(shadowState::release);
      }
    }
  }

  private void place(JobRequest job, double now, List<Decision> out) {
    Decision d = engine.place(job, now);
    if (d.placed()) {
      dequeue(job);
      out.add(d);
    }
  }

  private void dequeue(JobRequest job) {
    pending.remove(job.jobId());
    engine.demand().dequeued(job);
  }

  /**
   * The head's earliest predicted start: releases pods of the copy in order of predicted end until
   * the head fits (positive infinity if it never does).
   */
  private static double shadowTime(
      JobRequest head, ClusterState copy, PlacementEngine shadow, double now) {
    List<ReservedPod> byEnd = new ArrayList<>(copy.pods());
    byEnd.sort(
        Comparator.comparingDouble(ReservedPod::predictedEndSeconds)
            .thenComparing(ReservedPod::podName));
    int i = 0;
    while (i < byEnd.size()) {
      double t = byEnd.get(i).predictedEndSeconds();
      while (i < byEnd.size() && byEnd.get(i).predictedEndSeconds() == t) {
        copy.release(byEnd.get(i).podName());
        i++;
      }
      if (shadow.tryPlace(head, Math.max(now, t)).placed()) {
        return Math.max(now, t);
      }
    }
    return Double.POSITIVE_INFINITY;
  }
}
