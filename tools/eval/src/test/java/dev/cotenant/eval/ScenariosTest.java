package dev.cotenant.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.cotenant.eval.scenario.Seed001;
import dev.cotenant.eval.scenario.Seed001Calibration;
import dev.cotenant.interference.AppInfo;
import dev.cotenant.interference.InterferenceMatrix;
import dev.cotenant.interference.MatrixModel;
import dev.cotenant.interference.PairEntry;
import dev.cotenant.interference.learn.LearnedModel;
import dev.cotenant.placement.EngineConfig;
import dev.cotenant.sim.workload.WorkloadJob;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The shipped scenarios against the seeds' measurements and against each other. */
class ScenariosTest {

  static PolicyResult run(Scenario s, String policy) {
    MatrixModel truth = new MatrixModel(s.truth());
    return EvalRunner.run(setup(s, () -> truth, s.engineConfig()), policy, p -> {});
  }

  /** {@code s} with the oracle as ground truth, the engine knowing {@code knowledge}. */
  static EvalRunner.Setup setup(
      Scenario s,
      java.util.function.Supplier<? extends dev.cotenant.interference.InterferenceModel> knowledge,
      EngineConfig engine) {
    return new EvalRunner.Setup(
        s.cluster(),
        s.workload(),
        new MatrixModel(s.truth()),
        knowledge,
        s.sim(),
        engine,
        s.jobOverheadSeconds(),
        true);
  }

  static Map<String, Double> soloByApp(Scenario s) {
    Map<String, Double> solo = new LinkedHashMap<>();
    s.workload().forEach(j -> solo.put(j.app(), j.soloDurationSeconds()));
    return solo;
  }

  @ParameterizedTest(name = "{0} places as seed 001 section IV.3 describes, makespan near {2} s")
  @CsvSource({
    "binpack, Binpacking, 3450",
    "standalone, Standalone, 3067",
    "loadbalance, Loadbalance, 3111"
  })
  void seedPoliciesReproduceTheSeedPlacementsAndMakespans(
      String policy, String seedName, double seedMakespan) {
    Scenario s = Scenario.seed001();
    PolicyResult r = run(s, policy);
    List<String> expected =
        Seed001.SEED_PLACEMENTS.get(seedName).stream().map(gpu -> "seed001-gpu/gpu" + gpu).toList();
    List<String> actual = new ArrayList<>();
    for (String c : Seed001.CONTAINERS) {
      actual.add(
          r.jobResults().stream()
              .filter(j -> j.name().equals(Seed001.jobName(c)))
              .findFirst()
              .orElseThrow()
              .placement());
    }
    assertThat(actual).isEqualTo(expected);
    assertThat(r.makespanSeconds()).isCloseTo(seedMakespan, within(0.10 * seedMakespan));
  }

  @Test
  void groundTruthIsCalibratedToTable4WithinTenPercent() {
    Scenario s = Scenario.seed001();
    List<Seed001.Cell> cells =
        Seed001.compare(s.truth(), soloByApp(s), Seed001Calibration.table4());
    assertThat(cells).hasSize(24);
    assertThat(Seed001.meanAbsolutePercentageError(cells)).isLessThanOrEqualTo(10);
  }

  @Test
  void interferenceAwareBeatsEverySeedPolicyAndIsWithinOnePercentOfTheBestPlacement() {
    Scenario s = Scenario.seed001();
    double ours = run(s, "interference-aware").makespanSeconds();
    for (String seedPolicy : List.of("binpack", "standalone", "loadbalance")) {
      assertThat(ours).isLessThanOrEqualTo(run(s, seedPolicy).makespanSeconds());
    }
    // Every assignment of the 8 containers to the 4 cards (at most 4 quarter-card pods each).
    Map<String, Double> solo = soloByApp(s);
    double best = Double.POSITIVE_INFINITY;
    int[] cards = new int[8];
    for (int code = 0; code < 1 << 16; code++) {
      int[] load = new int[4];
      boolean feasible = true;
      for (int i = 0; i < 8; i++) {
        cards[i] = (code >> (2 * i)) & 3;
        feasible &= ++load[cards[i]] <= 4;
      }
      if (!feasible) {
        continue;
      }
      List<Integer> assignment = new ArrayList<>();
      for (int c : cards) {
        assignment.add(c);
      }
      double makespan =
          Seed001.simulate(s.truth(), solo, assignment).values().stream()
              .mapToDouble(Double::doubleValue)
              .max()
              .orElseThrow();
      best = Math.min(best, makespan);
    }
    assertThat(ours).isLessThanOrEqualTo(best * 1.01);
  }

  @Test
  void seed000CurveIsReproducedWithinTenPercentAndAutoPicksANearBestSize() {
    List<Seed000.Point> curve = Seed000.curve(30);
    double bestPerPod = Double.POSITIVE_INFINITY;
    for (Seed000.Point p : curve) {
      if (!Double.isNaN(p.measured())) {
        assertThat(p.perPod()).isCloseTo(p.measured(), within(0.10 * p.measured()));
      }
      bestPerPod = Math.min(bestPerPod, p.perPod());
      // A gang of one-core pods only starts when all of them fit the 10 cores at once.
      assertThat(Double.isFinite(p.gang())).isEqualTo(p.containers() <= 10);
    }
    Seed000.AutoResult auto = Seed000.auto(30);
    assertThat(auto.replicas()).isBetween(2, 10);
    assertThat(auto.seconds()).isLessThanOrEqualTo(bestPerPod * 1.05);
  }

  @Test
  void interferenceAwareHasTheBestMeanJctOnTheMeasuredP100DataAndLosesNoJob() {
    Scenario s = Scenario.gavelP100(1);
    PolicyResult ours = run(s, "interference-aware");
    assertThat(ours.failedJobs()).isZero();
    assertThat(ours.succeededJobs()).isEqualTo(s.workload().size());
    double best = Double.POSITIVE_INFINITY;
    for (String baseline : List.of("binpack", "spread", "loadbalance", "standalone")) {
      PolicyResult theirs = run(s, baseline);
      assertThat(theirs.migrations()).as(baseline + " never moves a pod").isZero();
      // OOM-killed pods are placed again elsewhere: no policy loses a job from its mean JCT.
      assertThat(theirs.succeededJobs()).as(baseline).isEqualTo(s.workload().size());
      best = Math.min(best, theirs.meanJctSeconds());
    }
    // Issue 9's target, held with exact run times and no noise (the upper bound, as the setup
    // above gives): at least 15% better mean JCT than the best baseline. What it is with declared
    // work, unknown durations and noise over seeds 11-20 is in README, measured, not tested.
    assertThat(ours.meanJctSeconds()).isLessThanOrEqualTo(0.85 * best);
    assertThat(ours.migrations()).isPositive();
  }

  @Test
  void placementAloneAlreadyBeatsEveryBaselineAndMovingRunningPodsAddsToIt() {
    Scenario s = Scenario.gavelP100(1);
    PolicyResult moving = run(s, "interference-aware");
    EvalRunner.Setup placeOnly =
        setup(
            s,
            () -> new MatrixModel(s.truth()),
            s.engineConfig().withRebalancing(EngineConfig.Rebalancing.OFF));
    PolicyResult placing = EvalRunner.run(placeOnly, "interference-aware", p -> {});
    assertThat(placing.migrations()).isZero();
    assertThat(placing.meanJctSeconds()).isLessThan(run(s, "spread").meanJctSeconds());
    assertThat(moving.meanJctSeconds()).isLessThan(0.97 * placing.meanJctSeconds());
  }

  @Test
  void startingEmptyAndLearningFromEveryRunComesWithinTenPercentOfTheOracle() {
    Scenario s = Scenario.gavelP100(1);
    PolicyResult oracle = run(s, "interference-aware");
    EvalRunner.Setup learning = setup(s, LearnedModel::new, s.engineConfig());
    PolicyResult learned = EvalRunner.run(learning, "interference-aware", p -> {});
    assertThat(learned.succeededJobs()).isEqualTo(s.workload().size());
    assertThat(learned.meanJctSeconds()).isLessThanOrEqualTo(1.10 * oracle.meanJctSeconds());
    // It did learn: the spread baseline, which ignores interference, is worse.
    assertThat(learned.meanJctSeconds()).isLessThan(run(s, "spread").meanJctSeconds());
  }

  @Test
  void resultsDoNotDependOnNames() {
    Scenario s = Scenario.gavelP100(1);
    // Rename every app (and job) by a bijection: the figures must not move.
    Map<String, String> rename = new LinkedHashMap<>();
    List<AppInfo> apps = new ArrayList<>();
    for (AppInfo a : s.truth().apps()) {
      String name = "app" + (rename.size() * 7919 % 101);
      rename.put(a.name(), name);
      apps.add(new AppInfo(name, a.soloRate(), a.gpuMemoryMiB(), a.gpuUtilPercent(), a.cpuMilli()));
    }
    List<PairEntry> pairs = new ArrayList<>();
    for (PairEntry p : s.truth().pairs()) {
      pairs.add(
          new PairEntry(
              rename.get(p.app()),
              rename.get(p.with()),
              p.normalizedThroughput(),
              p.incompatible()));
    }
    List<WorkloadJob> jobs = new ArrayList<>();
    for (WorkloadJob j : s.workload()) {
      jobs.add(
          new WorkloadJob(
              "x" + j.name().hashCode() % 1000 + "-" + jobs.size(),
              rename.get(j.app()),
              j.submitTimeSeconds(),
              j.soloDurationSeconds(),
              j.replicas(),
              j.cpuMilli(),
              j.memoryMiB(),
              j.numGpu(),
              j.gpuMilli(),
              j.gpuMemoryMiB(),
              j.work()));
    }
    Scenario renamed =
        new Scenario(
            "renamed",
            "",
            s.cluster(),
            jobs,
            new InterferenceMatrix(s.truth().device(), apps, pairs),
            s.sim(),
            0,
            s.policies(),
            s.checkpointable());
    PolicyResult a = run(s, "interference-aware");
    PolicyResult b = run(renamed, "interference-aware");
    assertThat(b.meanJctSeconds()).isEqualTo(a.meanJctSeconds());
    assertThat(b.makespanSeconds()).isEqualTo(a.makespanSeconds());
    // Learning from an empty model, told declared work only: names change nothing beyond
    // rounding. Not bit for bit: the learner's refit orders apps by name (so that it is a function
    // of the data, however updates arrived) and its seeded factorisation then starts from another
    // point; measured at 0.2% (exact durations) to 0.4% (unknown) on this seed.
    PolicyResult learnedA = EvalRunner.run(learnedFromWork(s), "interference-aware", p -> {});
    PolicyResult learnedB = EvalRunner.run(learnedFromWork(renamed), "interference-aware", p -> {});
    assertThat(learnedB.meanJctSeconds()).isCloseTo(learnedA.meanJctSeconds(), withinPercentage(1));
    assertThat(learnedB.succeededJobs()).isEqualTo(learnedA.succeededJobs());
  }

  private static EvalRunner.Setup learnedFromWork(Scenario s) {
    return new EvalRunner.Setup(
        s.cluster(),
        s.workload(),
        new MatrixModel(s.truth()),
        LearnedModel::new,
        s.sim(),
        s.engineConfig(),
        s.jobOverheadSeconds(),
        true,
        RunTimes.Durations.work);
  }
}
