package dev.cotenant.placement.framework;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.cotenant.fragmentation.Shape;
import dev.cotenant.fragmentation.TargetWorkload;
import dev.cotenant.placement.Fixtures;
import dev.cotenant.placement.model.JobRequest;
import dev.cotenant.placement.model.PodShape;
import dev.cotenant.placement.model.Replicas;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The target workload taken from arrivals and the queue, and when it is replaced. */
class DemandTest {

  private static final PodShape HALF = PodShape.share(1000, 100, 500, 0);
  private static final PodShape WHOLE = PodShape.whole(4000, 100, 2);

  private static JobRequest job(String id, PodShape shape, int replicas) {
    return Fixtures.job(id, "a", 0, 0, new Replicas.Fixed(replicas), shape, 10);
  }

  private static Map<Shape, Double> weights(TargetWorkload t) {
    return t.shapes().stream()
        .collect(Collectors.toMap(TargetWorkload.Weighted::shape, TargetWorkload.Weighted::weight));
  }

  @Test
  void nothingAskedMeansNoTarget() {
    assertThat(new Demand().target()).isEmpty();
  }

  @Test
  void shapesAreWhatTheMeasureCounts() {
    assertThat(Demand.shapeOf(job("j", HALF, 1))).isEqualTo(new Shape(1000, 1, 500, List.of()));
    assertThat(Demand.shapeOf(job("j", WHOLE, 1))).isEqualTo(new Shape(4000, 2, 1000, List.of()));
    assertThat(Demand.shapeOf(job("j", PodShape.cpu(8000, 1), 1)))
        .isEqualTo(new Shape(8000, 0, 0, List.of()));
  }

  @Test
  void arrivalsDecayByHalfLife() {
    // Half-life of one pod: each arrival weighs twice the one before it.
    Demand d = new Demand(1, 0);
    d.arrived(job("a", HALF, 1));
    d.arrived(job("b", WHOLE, 1));
    Map<Shape, Double> w = weights(d.target().orElseThrow());
    // 1 and 2: 1/3 and 2/3; 95% coverage keeps both.
    assertThat(w.get(Demand.shapeOf(job("b", WHOLE, 1)))).isCloseTo(2 / 3.0, within(1e-9));
    assertThat(w.get(Demand.shapeOf(job("a", HALF, 1)))).isCloseTo(1 / 3.0, within(1e-9));
  }

  @Test
  void replicasCountAsPodsAndTheQueueWeighsLikeAFreshArrival() {
    Demand d = new Demand(1e9, 0); // no decay to speak of
    d.arrived(job("a", HALF, 3));
    JobRequest waiting = job("w", WHOLE, 1);
    d.queued(waiting);
    // 3 half-card pods of history, 1 two-card pod waiting: 3/4 and 1/4.
    Map<Shape, Double> w = weights(d.target().orElseThrow());
    assertThat(w.get(Demand.shapeOf(waiting))).isCloseTo(0.25, within(1e-6));
    d.dequeued(waiting);
    assertThat(weights(d.target().orElseThrow()))
        .containsOnlyKeys(Demand.shapeOf(job("a", HALF, 1)));
  }

  @Test
  void theTargetIsReplacedOnlyWhenTheDemandMovedMaterially() {
    Demand d = new Demand(1e9, 0.1);
    for (int i = 0; i < 90; i++) {
      d.arrived(job("h" + i, HALF, 1));
    }
    for (int i = 0; i < 10; i++) {
      d.arrived(job("w" + i, WHOLE, 1));
    }
    TargetWorkload first = d.target().orElseThrow();
    int epoch = d.epoch();
    // Ten more two-card pods: 90/110 against 90/100, a distance of 0.082 < 0.1: kept.
    for (int i = 0; i < 10; i++) {
      d.arrived(job("x" + i, WHOLE, 1));
    }
    assertThat(d.target().orElseThrow()).isSameAs(first);
    assertThat(d.epoch()).isEqualTo(epoch);
    // Five more: 90/115, a distance of 0.117 from the 0.9 of the target: replaced.
    for (int i = 0; i < 5; i++) {
      d.arrived(job("y" + i, WHOLE, 1));
    }
    assertThat(d.target().orElseThrow()).isNotSameAs(first);
    assertThat(d.epoch()).isEqualTo(epoch + 1);
  }

  @Test
  void distanceIsTotalVariation() {
    Shape a = new Shape(1, 0, 0, List.of());
    Shape b = new Shape(2, 0, 0, List.of());
    assertThat(Demand.distance(Map.of(a, 1.0), Map.of(b, 1.0))).isEqualTo(1.0);
    assertThat(Demand.distance(Map.of(a, 0.5, b, 0.5), Map.of(a, 1.0))).isEqualTo(0.5);
  }
}
