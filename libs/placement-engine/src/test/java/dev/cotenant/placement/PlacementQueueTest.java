package dev.cotenant.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cotenant.interference.MatrixModel;
import dev.cotenant.placement.model.Decision;
import dev.cotenant.placement.model.JobRequest;
import dev.cotenant.placement.model.NodeInfo;
import dev.cotenant.placement.model.PodShape;
import dev.cotenant.placement.model.Replicas;
import dev.cotenant.placement.plugins.PluginNames;
import dev.cotenant.placement.state.ClusterState;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlacementQueueTest {

  // One 4-core node: jobs are sized in cores so who fits is easy to see.
  private final ClusterState state = new ClusterState(List.of(NodeInfo.cpuOnly("n0", 4000, 64000)));
  private final PlacementEngine engine =
      new PlacementEngine(state, MatrixModel.empty(), Fixtures.config(PluginNames.SPREAD));
  private final PlacementQueue queue = new PlacementQueue(engine);

  private static JobRequest cpuJob(String id, int priority, long seq, int cores, double seconds) {
    return Fixtures.job(
        id, "app", priority, seq, new Replicas.Fixed(1), PodShape.cpu(cores * 1000L, 10), seconds);
  }

  @Test
  void higherPriorityFirstThenFifo() {
    queue.submit(cpuJob("low", 0, 0, 1, 10));
    queue.submit(cpuJob("high-late", 5, 2, 1, 10));
    queue.submit(cpuJob("high-early", 5, 1, 1, 10));
    queue.submit(cpuJob("low-late", 0, 3, 1, 10));

    assertThat(queue.schedule(0))
        .extracting(Decision::jobId)
        .containsExactly("high-early", "high-late", "low", "low-late");
    assertThat(queue.pending()).isZero();
  }

  @Test
  void backfillsAShortJobWhileTheHeadWaitsButNotOneThatDelaysIt() {
    queue.submit(cpuJob("running", 0, 0, 3, 100));
    assertThat(queue.schedule(0)).hasSize(1);
    // Head needs all 4 cores: only at t=100 when "running" ends (shadow time 100).
    queue.submit(cpuJob("head", 0, 1, 4, 50));
    // 1 core for 500 s: ends after the shadow time and the head would not fit beside it.
    queue.submit(cpuJob("long", 0, 2, 1, 500));
    // 1 core for 50 s: done before the shadow time.
    queue.submit(cpuJob("short", 0, 3, 1, 50));

    List<Decision> ds = queue.schedule(0);

    assertThat(ds).extracting(Decision::jobId).containsExactly("head", "short");
    assertThat(ds.get(0).placed()).isFalse();
    assertThat(ds.get(0).reasons()).extracting(r -> r.code()).containsExactly("InsufficientCpu");
    assertThat(ds.get(1).placed()).isTrue();
    assertThat(queue.pending()).isEqualTo(2);
  }

  @Test
  void backfillsALongJobWhenTheHeadStillFitsBesideItAtTheShadowTime() {
    queue.submit(cpuJob("running", 0, 0, 3, 100));
    queue.schedule(0);
    queue.submit(cpuJob("head", 0, 1, 3, 50));
    queue.submit(cpuJob("long", 0, 2, 1, 500));

    List<Decision> ds = queue.schedule(0);

    // At t=100 the head takes 3 cores and "long" keeps 1: no delay.
    assertThat(ds)
        .extracting(d -> d.jobId() + ":" + d.placed())
        .containsExactly("head:false", "long:true");
  }

  @Test
  void requeuesOnCapacityChangeOnlyAndReportsTheBlockedHeadOnce() {
    queue.submit(cpuJob("running", 0, 0, 3, 100));
    queue.schedule(0);
    queue.submit(cpuJob("head", 0, 1, 2, 50));
    assertThat(queue.schedule(1)).extracting(Decision::placed).containsExactly(false);

    assertThat(queue.schedule(2)).isEmpty();
    assertThat(queue.schedule(200)).isEmpty();

    engine.finished("running-0", 100);
    assertThat(queue.schedule(101)).isEmpty();
    queue.capacityChanged();
    assertThat(queue.schedule(102))
        .extracting(d -> d.jobId() + ":" + d.placed())
        .containsExactly("head:true");
    assertThat(queue.pending()).isZero();
  }

  @Test
  void aJobThatNeverFitsIsReportedAndDoesNotBlockTheQueue() {
    queue.submit(cpuJob("huge", 9, 0, 8, 10));
    queue.submit(cpuJob("small", 0, 1, 1, 10));

    List<Decision> ds = queue.schedule(0);

    assertThat(ds)
        .extracting(d -> d.jobId() + ":" + d.placed())
        .containsExactly("huge:false", "small:true");
    assertThat(ds.get(0).reasons())
        .extracting(r -> r.code())
        .contains("NeverFits", "InsufficientCpu");
    assertThat(queue.pending()).isZero();
    assertThat(queue.unschedulable()).extracting(JobRequest::jobId).containsExactly("huge");
    assertThat(queue.schedule(1)).as("not tried again while the nodes are the same").isEmpty();
    queue.capacityChanged();
    assertThat(queue.schedule(2)).isEmpty();
  }

  @Test
  void anUnschedulableJobIsTriedAgainWhenTheNodeSetChanges() {
    queue.submit(cpuJob("huge", 0, 0, 8, 10));
    assertThat(queue.schedule(0)).extracting(Decision::placed).containsExactly(false);

    // A node too small changes nothing but is a new node set: tried, reported again, set aside.
    state.addNode(NodeInfo.cpuOnly("tiny", 1000, 64000));
    assertThat(queue.schedule(1))
        .singleElement()
        .satisfies(d -> assertThat(d.reasons()).extracting(r -> r.code()).contains("NeverFits"));
    assertThat(queue.unschedulable()).hasSize(1);

    state.addNode(NodeInfo.cpuOnly("big", 16000, 64000));
    assertThat(queue.schedule(2))
        .extracting(d -> d.jobId() + ":" + d.placed())
        .containsExactly("huge:true");
    assertThat(queue.unschedulable()).isEmpty();
    assertThat(queue.pending()).isZero();
  }

  @Test
  void anUnschedulableJobCanBeCancelledAndIsNotSubmittedTwice() {
    queue.submit(cpuJob("huge", 0, 0, 8, 10));
    queue.schedule(0);

    assertThatThrownBy(() -> queue.submit(cpuJob("huge", 0, 1, 8, 10)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(queue.cancel("huge")).isTrue();
    assertThat(queue.unschedulable()).isEmpty();
    assertThat(queue.cancel("huge")).isFalse();
  }

  @Test
  void cancelRemovesAPendingJob() {
    queue.submit(cpuJob("running", 0, 0, 4, 100));
    queue.submit(cpuJob("waiting", 0, 1, 1, 10));
    queue.schedule(0);

    assertThat(queue.cancel("waiting")).isTrue();
    assertThat(queue.cancel("waiting")).isFalse();
    assertThat(queue.pending()).isZero();
  }
}
