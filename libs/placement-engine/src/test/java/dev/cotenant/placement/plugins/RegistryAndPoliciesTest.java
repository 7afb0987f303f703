package dev.cotenant.placement.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cotenant.interference.MatrixModel;
import dev.cotenant.placement.EngineConfig;
import dev.cotenant.placement.PlacementEngine;
import dev.cotenant.placement.framework.CycleState;
import dev.cotenant.placement.framework.Filter;
import dev.cotenant.placement.framework.PluginRegistry;
import dev.cotenant.placement.framework.SortContext;
import dev.cotenant.placement.model.JobRequest;
import dev.cotenant.placement.model.PodShape;
import dev.cotenant.placement.model.Replicas;
import dev.cotenant.placement.state.ClusterState;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RegistryAndPoliciesTest {

  @Test
  void registryRefusesDuplicateNames() {
    var r = new PluginRegistry().register(new GpuFit());
    assertThatThrownBy(() -> r.register(new GpuFit()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(PluginNames.GPU_FIT);
  }

  @Test
  void registryChecksThePhase() {
    var r = Policies.defaultRegistry();
    assertThatThrownBy(() -> r.get(PluginNames.FIFO_SORT, Filter.class))
        .hasMessageContaining("FifoSort");
  }

  @Test
  void allFivePoliciesExist() {
    var engine =
        new PlacementEngine(
            new ClusterState(List.of()), MatrixModel.empty(), EngineConfig.defaults());
    assertThat(engine.policies())
        .containsExactlyInAnyOrder(
            "binpack", "spread", "loadbalance", "standalone", "interference-aware");
  }

  @Test
  void unknownDefaultPolicyNamesTheField() {
    assertThatThrownBy(
            () ->
                new PlacementEngine(
                    new ClusterState(List.of()),
                    MatrixModel.empty(),
                    EngineConfig.defaults().withDefaultPolicy("nope")))
        .hasMessageContaining("defaultPolicy");
  }

  @ParameterizedTest(name = "{0}: seq {1}/{2}/{3} -> first {4}")
  @CsvSource({
    "FifoSort, 0, 1, 2, j0",
    "LargestGpuMemoryFirst, 0, 1, 2, j1",
    "HighestUtilFirst, 0, 1, 2, j2",
  })
  void queueSortsOrderEqualPriorityJobs(String sort, long s0, long s1, long s2, String first) {
    var plugin =
        Policies.defaultRegistry().get(sort, dev.cotenant.placement.framework.QueueSort.class);
    var ctx = new SortContext(MatrixModel.empty(), 16000);
    var jobs =
        new java.util.ArrayList<>(
            List.of(job("j0", s0, 100, 1000), job("j1", s1, 200, 9000), job("j2", s2, 900, 2000)));
    jobs.sort((a, b) -> plugin.compare(a, b, ctx));
    assertThat(jobs.get(0).jobId()).isEqualTo(first);
  }

  @Test
  void gangPermitNeedsEveryMember() {
    var p = new GangPermit();
    var job = job("g", 0, 100, 100);
    assertThat(p.permit(new CycleState(), job, 2, List.of("g-0", "g-1")).passes()).isTrue();
    assertThat(p.permit(new CycleState(), job, 2, List.of("g-0")).reasonCode())
        .isEqualTo(GangPermit.GANG_INCOMPLETE);
  }

  private static JobRequest job(String id, long seq, int milli, long mem) {
    return new JobRequest(
        id,
        "app",
        0,
        seq,
        new Replicas.Fixed(1),
        PodShape.share(0, 0, milli, mem),
        10,
        Optional.empty());
  }
}
