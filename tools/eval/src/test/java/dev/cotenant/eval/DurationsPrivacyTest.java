package dev.cotenant.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cotenant.interference.MatrixModel;
import dev.cotenant.interference.learn.LearnedModel;
import dev.cotenant.placement.model.Decision;
import dev.cotenant.placement.model.JobRequest;
import dev.cotenant.placement.model.RunTimeEstimate;
import dev.cotenant.sim.workload.WorkloadJob;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The engine cannot see the simulator's run times: permute the true solo durations among the jobs
 * (what they declare unchanged) and every request the engine is given, and every decision it makes
 * before the first run ends, stays the same. {@code exact}, the labelled upper bound, is the
 * control: there the requests must change.
 */
class DurationsPrivacyTest {

  /** gavel-p100 seed 1, every job submitted at once, so every request precedes every finish. */
  private static Scenario allAtOnce(boolean permuteDurations) {
    Scenario s = Scenario.gavelP100(1);
    List<Double> solo =
        new ArrayList<>(s.workload().stream().map(j -> j.soloDurationSeconds()).toList());
    if (permuteDurations) {
      Collections.shuffle(solo, new Random(7));
    }
    List<WorkloadJob> jobs = new ArrayList<>();
    for (int i = 0; i < s.workload().size(); i++) {
      WorkloadJob j = s.workload().get(i);
      jobs.add(j.withSubmitTime(0).withSoloDuration(solo.get(i)));
    }
    return new Scenario(
        s.name(), "", s.cluster(), jobs, s.truth(), s.sim(), 0, s.policies(), s.checkpointable());
  }

  private record Inputs(List<JobRequest> requests, List<String> firstDecisions) {}

  private static Inputs inputs(
      boolean permuted, RunTimes.Durations durations, String knowledge, String policy) {
    Scenario s = allAtOnce(permuted);
    MatrixModel truth = new MatrixModel(s.truth());
    EvalRunner.Setup setup =
        new EvalRunner.Setup(
            s.cluster(),
            s.workload(),
            truth,
            knowledge.equals("learned") ? LearnedModel::new : () -> truth,
            s.sim().withNoise(0.05, 1),
            s.engineConfig(),
            0,
            true,
            durations);
    List<JobRequest> requests = new ArrayList<>();
    List<String> decisions = new ArrayList<>();
    EvalRunner.run(
        setup,
        policy,
        p -> {},
        (Decision d, double t) -> {
          if (t == 0) {
            decisions.add(d.toString());
          }
        },
        r -> {
          if (!r.jobId().contains("-retry")) {
            requests.add(r);
          }
        });
    return new Inputs(requests, decisions);
  }

  @ParameterizedTest(name = "--durations {0}, knowledge {1}, {2}")
  @CsvSource({
    "work, oracle, interference-aware",
    "work, learned, interference-aware",
    "unknown, oracle, interference-aware",
    "unknown, learned, interference-aware",
    "work, oracle, binpack"
  })
  void permutedTrueDurationsGiveTheEngineIdenticalInputs(
      RunTimes.Durations durations, String knowledge, String policy) {
    Inputs original = inputs(false, durations, knowledge, policy);
    Inputs permuted = inputs(true, durations, knowledge, policy);
    assertThat(original.requests()).hasSize(400);
    assertThat(permuted.requests()).isEqualTo(original.requests());
    assertThat(original.firstDecisions()).isNotEmpty();
    assertThat(permuted.firstDecisions()).isEqualTo(original.firstDecisions());
    assertThat(original.requests())
        .noneMatch(r -> r.runTime().source() == RunTimeEstimate.Source.GIVEN);
  }

  @ParameterizedTest(name = "--durations exact hands the truth over (the control)")
  @CsvSource("exact")
  void exactDurationsDoReachTheEngine(RunTimes.Durations durations) {
    Inputs original = inputs(false, durations, "oracle", "interference-aware");
    Inputs permuted = inputs(true, durations, "oracle", "interference-aware");
    assertThat(permuted.requests()).isNotEqualTo(original.requests());
  }
}
