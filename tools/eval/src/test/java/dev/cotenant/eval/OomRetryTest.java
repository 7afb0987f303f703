package dev.cotenant.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.cotenant.interference.AppInfo;
import dev.cotenant.interference.InterferenceMatrix;
import dev.cotenant.interference.MatrixModel;
import dev.cotenant.interference.PairEntry;
import dev.cotenant.placement.EngineConfig;
import dev.cotenant.sim.SimConfig;
import dev.cotenant.sim.cluster.NodeSpec;
import dev.cotenant.sim.workload.Replicas;
import dev.cotenant.sim.workload.WorkloadJob;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An OOM-killed pod is placed again on another card, and its job's completion counts the retry. */
class OomRetryTest {

  @Test
  void binpackPairsAnIncompatibleCoupleTheRetryGoesElsewhereAndTheJobCompletes() {
    // Two half-card jobs of apps that cannot share a card; binpack puts both on card 0. Starts take
    // 5 s: a runs from 5 to 105; b is killed as it starts at 5, its retry is placed at 5 on card 1
    // (the retry goes through interference-aware, which keeps the pair apart), starts at 10 and
    // ends at 110. Mean JCT (105 + 110) / 2 = 107.5; no job fails.
    var truth =
        new MatrixModel(
            new InterferenceMatrix(
                "p100",
                List.of(AppInfo.named("a"), AppInfo.named("b")),
                List.of(PairEntry.incompatible("a", "b"))));
    List<WorkloadJob> jobs =
        List.of(
            new WorkloadJob("ja", "a", 0, 100, new Replicas.Fixed(1), 1000, 1024, 0, 500, 4096),
            new WorkloadJob("jb", "b", 0, 100, new Replicas.Fixed(1), 1000, 1024, 0, 500, 4096));
    var setup =
        new EvalRunner.Setup(
            List.of(new NodeSpec("n1", 8000, 65536, 2, "P100", 16384)),
            jobs,
            truth,
            () -> truth,
            new SimConfig(5, 4),
            EngineConfig.defaults(),
            0,
            true,
            RunTimes.Durations.unknown);
    PolicyResult r = EvalRunner.run(setup, "binpack", p -> {});
    assertThat(r.failedJobs()).isZero();
    assertThat(r.succeededJobs()).isEqualTo(2);
    assertThat(r.meanJctSeconds()).isCloseTo(107.5, within(1e-6));
    assertThat(r.jobResults().get(1).placement()).isEqualTo("n1/gpu0");
  }
}
