package dev.cotenant.cli;

import dev.cotenant.eval.Progress;
import dev.cotenant.events.JobEvent;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * What both experiments share: the REST client, the event log, the cluster's cordons, the speed,
 * the deadline, and how a batch of jobs is run and waited for.
 */
final class DemoRun {
  /** The batch's jobs by id, with the display name each was submitted for. */
  record Submitted(String label, Map<String, String> names) {
    List<String> ids() {
      return List.copyOf(names.keySet());
    }
  }

  /** Why the demo stopped early: a wait that timed out or a refused request. */
  static final class DemoException extends Exception {
    DemoException(String message) {
      super(message);
    }
  }

  final DemoJobs jobs;
  final DemoEvents events;
  final DemoCluster cluster;
  final double speed;
  final List<String> nodes;
  private final PrintWriter err;
  private final long deadlineNanos;

  DemoRun(
      DemoJobs jobs,
      DemoEvents events,
      DemoCluster cluster,
      double speed,
      List<String> nodes,
      PrintWriter err,
      long deadlineNanos) {
    this.jobs = jobs;
    this.events = events;
    this.cluster = cluster;
    this.speed = speed;
    this.nodes = List.copyOf(nodes);
    this.err = err;
    this.deadlineNanos = deadlineNanos;
  }

  /**
   * Runs jobs as one batch: every node cordoned while they are submitted (each POST waits for
   * placement's first word on the previous job, so placement takes them in this order), then the
   * cordons lifted so that placement meets the whole batch at once, then waits until every job has
   * ended, with a progress bar over the batch's expected simulated seconds.
   *
   * @param names display name per job (e.g. L1), in submission order
   */
  Submitted batch(String label, Map<String, DemoJobs.Job> byName, double expectedSimulatedSeconds)
      throws IOException, InterruptedException, DemoException {
    Map<String, String> ids = new LinkedHashMap<>();
    cluster.cordon(nodes);
    try {
      for (var e : byName.entrySet()) {
        String id = jobs.submit(e.getValue());
        ids.put(id, e.getKey());
        await(
            label + ": placement's answer to " + e.getKey(),
            () -> !events.of(id).isEmpty(),
            30_000);
      }
    } finally {
      cluster.uncordon(nodes);
    }
    Submitted s = new Submitted(label, ids);
    awaitEnded(s, expectedSimulatedSeconds);
    return s;
  }

  /** Waits until every job of the batch ended, drawing the progress bar meanwhile. */
  void awaitEnded(Submitted s, double expectedSimulatedSeconds)
      throws InterruptedException, DemoException {
    Progress progress = new Progress(err, s.label());
    long t0 = System.nanoTime();
    List<String> ids = s.ids();
    try {
      while (events.endedCount(ids) < ids.size()) {
        double simulated = (System.nanoTime() - t0) / 1e9 * speed;
        double byJobs = events.endedCount(ids) / (double) ids.size();
        progress.update(Math.min(0.99, Math.max(byJobs, simulated / expectedSimulatedSeconds)));
        check(s.label() + ": " + (ids.size() - events.endedCount(ids)) + " jobs still running");
        events.awaitChange(200);
      }
    } finally {
      progress.done();
    }
    await(
        s.label() + ": the monitor's report of every pod's end",
        () -> ids.stream().allMatch(events::podsReported),
        30_000);
  }

  /** Waits for a condition on the events, for at most {@code millis} and the demo's deadline. */
  void await(String what, BooleanSupplier done, long millis)
      throws InterruptedException, DemoException {
    long until = System.nanoTime() + millis * 1_000_000L;
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > until) {
        throw new DemoException("timed out waiting for " + what);
      }
      check(what);
      events.awaitChange(100);
    }
  }

  private void check(String what) throws DemoException {
    if (System.nanoTime() > deadlineNanos) {
      throw new DemoException("--timeout passed while waiting for " + what);
    }
  }

  List<JobEvent> events(Submitted s) {
    return events.of(s.ids());
  }

  /** The jobs in submission order as a map from display name. */
  static Map<String, DemoJobs.Job> ordered(List<DemoJobs.Job> jobs, List<String> names) {
    Map<String, DemoJobs.Job> m = new LinkedHashMap<>();
    for (int i = 0; i < jobs.size(); i++) {
      m.put(names.get(i), jobs.get(i));
    }
    return m;
  }

  static List<String> names(int n, String prefix) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(prefix + i);
    }
    return out;
  }
}
