package dev.cotenant.cli;

import dev.cotenant.eval.Scenario;
import dev.cotenant.eval.scenario.Seed001;
import dev.cotenant.eval.scenario.Seed001Calibration;
import dev.cotenant.events.AppProfile;
import dev.cotenant.events.CoTenant;
import dev.cotenant.events.JobEvent;
import dev.cotenant.events.PodFinished;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Seed 001 live: its 8 containers (2 each of LAMMPS, GROMACS, Tensorflow, QMCPACK, a quarter of a
 * Titan Xp each) submitted through the REST API under binpack, standalone and loadbalance, then
 * interference-aware once the profiler has learnt the pairs from runs.
 *
 * <p>The profiling phase comes first: each app alone on a whole card (so the exporters show its
 * whole memory and utilisation, which binpack's and loadbalance's sorts and filters read, as the
 * seed's policies read its Table 3), then each pair of apps alone on one card. interference-aware
 * runs once the profiles the profiler published have taken in every one of those runs, and before
 * the seed policies' runs: eight containers on a 6-core node oversubscribe its CPU, which the
 * profiler does not model and would learn as GPU interference.
 */
final class Seed001Demo {
  static final List<String> POLICIES = List.of("binpack", "standalone", "loadbalance");
  static final String OURS = "interference-aware";
  static final Map<String, String> SEED_NAMES =
      Map.of("binpack", "Binpacking", "standalone", "Standalone", "loadbalance", "Loadbalance");
  static final List<String> APPS = List.of("lammps", "gromacs", "tensorflow", "qmcpack");

  /** One policy's live figures beside the seed's (NaN where the seed has none). */
  record Row(
      String policy,
      DemoResults.Batch live,
      Map<String, List<Integer>> cards,
      double publishedMakespanSeconds,
      double publishedMeanRunSeconds) {}

  /**
   * @param countedPairs ordered app pairs the published profiles count observations of
   * @param measuredPairs those of them the profiles hold as measured rather than predicted
   * @param notRun pairs the demo did not co-locate, with why
   */
  record Result(
      List<Row> rows,
      Set<String> countedPairs,
      Set<String> measuredPairs,
      Map<String, String> notRun) {}

  private final DemoRun run;
  private final Map<String, Double> solo = new LinkedHashMap<>();
  // The profiling runs' events: what the profiler should have learnt from before we place.
  private final List<JobEvent> all = new ArrayList<>();

  Seed001Demo(DemoRun run) {
    this.run = run;
    Scenario.seed001().workload().forEach(j -> solo.put(j.app(), j.soloDurationSeconds()));
  }

  Result run() throws IOException, InterruptedException, DemoRun.DemoException {
    soloRuns();
    Map<String, String> notRun = pairRuns();
    awaitProfiles();
    Set<String> counted = counted(run.events.profiles());
    Set<String> measured = measured(run.events.profiles());
    Row ours = workload(OURS, Double.NaN, Double.NaN);
    List<Row> rows = new ArrayList<>();
    Map<String, Map<String, Double>> table4 = Seed001Calibration.table4();
    for (String policy : POLICIES) {
      Map<String, Double> seed = table4.get(SEED_NAMES.get(policy));
      double makespan = seed.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
      double mean = seed.values().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
      rows.add(workload(policy, makespan, mean));
    }
    rows.add(ours);
    return new Result(rows, counted, measured, notRun);
  }

  /**
   * Each app alone on the node, one after the other, on a whole card: its solo run time, and its
   * whole memory and utilisation on the exporters. One at a time because the profiler does not
   * model CPU (its README): four apps at once oversubscribe the node's 6 cores, and the slowdown
   * would be learnt as a slower solo run.
   */
  private void soloRuns() throws IOException, InterruptedException, DemoRun.DemoException {
    for (String app : APPS) {
      Map<String, DemoJobs.Job> jobs = Map.of(app, job("solo-" + app, app, "spread", true));
      all.addAll(
          run.events(run.batch("seed001 profiling: " + app + " alone", jobs, solo.get(app))));
    }
  }

  /**
   * Each pair of apps on one card by itself: two containers of one app under standalone (which puts
   * an app's containers together), of two apps under binpack (which stacks them on the fullest card
   * that holds them). A pair whose profiled memory exceeds a card is left out, as binpack's memory
   * filter keeps it apart; the profiler predicts it from the others.
   */
  private Map<String, String> pairRuns()
      throws IOException, InterruptedException, DemoRun.DemoException {
    Map<String, String> notRun = new LinkedHashMap<>();
    for (int i = 0; i < APPS.size(); i++) {
      for (int j = i; j < APPS.size(); j++) {
        String a = APPS.get(i);
        String b = APPS.get(j);
        long memory = memory(a) + memory(b);
        if (!a.equals(b) && memory > Seed001.NODE.gpuMemoryMiB()) {
          notRun.put(
              a + "+" + b,
              "profiled memory " + memory + " MiB exceeds a card's " + Seed001.NODE.gpuMemoryMiB());
          continue;
        }
        String policy = a.equals(b) ? "standalone" : "binpack";
        Map<String, DemoJobs.Job> jobs = new LinkedHashMap<>();
        jobs.put(a + "-1", job("pair-" + a + "-" + b + "-1", a, policy, false));
        jobs.put(b + "-2", job("pair-" + a + "-" + b + "-2", b, policy, false));
        double expected = Math.max(solo.get(a), solo.get(b)) * 1.3;
        all.addAll(run.events(run.batch("seed001 profiling: " + a + "+" + b, jobs, expected)));
      }
    }
    return notRun;
  }

  /** The seed's 8 containers under {@code policy}. */
  private Row workload(String policy, double publishedMakespan, double publishedMean)
      throws IOException, InterruptedException, DemoRun.DemoException {
    Map<String, DemoJobs.Job> jobs = new LinkedHashMap<>();
    for (String c : Seed001.CONTAINERS) {
      String name = policy + "-" + c.toLowerCase(java.util.Locale.ROOT);
      jobs.put(c, job(name, Seed001.app(c), policy, false));
    }
    double expected = Double.isNaN(publishedMakespan) ? 3450 : publishedMakespan;
    DemoRun.Submitted s = run.batch("seed001 " + policy, jobs, expected);
    List<JobEvent> events = run.events(s);
    return new Row(
        policy,
        DemoResults.batch(events, s.names(), run.speed),
        DemoResults.cards(events, s.names()),
        publishedMakespan,
        publishedMean);
  }

  private long memory(String app) {
    return run.events.profile(app).map(AppProfile::gpuMemoryMiB).orElse(0L);
  }

  /**
   * Waits until the profiler's published profiles have taken in every profiling run (as many
   * observations per app as runs that succeeded), know every app's solo run time, and count every
   * pair that ran together: what interference-aware will place by.
   */
  private void awaitProfiles() throws InterruptedException, DemoRun.DemoException {
    Map<String, Long> runs = new LinkedHashMap<>();
    for (JobEvent e : all) {
      if (e instanceof PodFinished f && f.outcome() == PodFinished.Outcome.SUCCEEDED) {
        runs.merge(f.app(), 1L, Long::sum);
      }
    }
    Set<String> together = coLocated(all);
    run.await(
        "the profiler's profiles to take in " + runs + " runs and the pairs " + together,
        () -> {
          Map<String, AppProfile> p = run.events.profiles();
          return runs.entrySet().stream()
                  .allMatch(
                      r ->
                          p.containsKey(r.getKey())
                              && p.get(r.getKey()).observations() >= r.getValue()
                              && p.get(r.getKey()).soloSeconds().isPresent())
              && counted(p).containsAll(together);
        },
        60_000);
    // Placement reads the same topic; give its consumer a moment past the profiler's publication.
    Thread.sleep(2_000);
  }

  /** Ordered pairs "app|co-tenant" the profiles have seen at least once. */
  static Set<String> counted(Map<String, AppProfile> profiles) {
    Set<String> out = new LinkedHashSet<>();
    for (AppProfile p : profiles.values()) {
      for (AppProfile.PairEstimate e : p.pairs()) {
        if (e.count() > 0) {
          out.add(pair(p.app(), e.with()));
        }
      }
    }
    return out;
  }

  /** Ordered pairs "app|co-tenant" the profiles hold as measured (not predicted). */
  static Set<String> measured(Map<String, AppProfile> profiles) {
    Set<String> out = new LinkedHashSet<>();
    for (AppProfile p : profiles.values()) {
      for (AppProfile.PairEstimate e : p.pairs()) {
        if (!e.predicted() && e.count() > 0) {
          out.add(pair(p.app(), e.with()));
        }
      }
    }
    return out;
  }

  /** Ordered pairs "app|co-tenant" that shared a card in these runs, from the monitor's events. */
  static Set<String> coLocated(List<JobEvent> events) {
    Set<String> out = new LinkedHashSet<>();
    for (JobEvent e : events) {
      if (e instanceof PodFinished f && f.outcome() == PodFinished.Outcome.SUCCEEDED) {
        for (CoTenant c : f.coTenants()) {
          if (c.device() == CoTenant.Device.GPU && c.share() > 0) {
            out.add(pair(f.app(), c.app()));
          }
        }
      }
    }
    return out;
  }

  static String pair(String app, String with) {
    return app + "|" + with;
  }

  /** A container of the seed: a quarter card, or a whole one to profile it alone. */
  private DemoJobs.Job job(String name, String app, String policy, boolean wholeCard) {
    return new DemoJobs.Job(
        name,
        app,
        1,
        1,
        Seed001.CPU_MILLI,
        Seed001.MEMORY_MIB,
        wholeCard ? 1 : 0,
        wholeCard ? 0 : Seed001.GPU_MILLI,
        wholeCard ? 0 : Seed001.GPU_MEMORY_MIB,
        policy,
        Map.of("sim.cotenant.dev/solo-seconds", String.valueOf(solo.get(app))));
  }
}
