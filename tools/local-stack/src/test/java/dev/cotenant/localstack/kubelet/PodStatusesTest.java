package dev.cotenant.localstack.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cotenant.localstack.kubelet.PodState.Container;
import dev.cotenant.localstack.kubelet.PodState.Phase;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PodStatusesTest {
  static final Instant BOUND = Instant.parse("2026-12-02T00:00:00Z");
  static final Instant ADMITTED = Instant.parse("2026-12-02T00:00:00.010Z");
  static final Instant STARTED = Instant.parse("2026-12-02T00:00:00.123Z");
  static final Instant ENDED = Instant.parse("2026-12-02T00:00:04.567Z");

  static final BoundPod POD =
      new BoundPod(
          "uid-1",
          "demo",
          "p-0",
          "node-a",
          "app",
          "ghcr.io/acme/app:1",
          List.of("main"),
          false,
          1,
          List.of(),
          List.of(0),
          false,
          0,
          500,
          OptionalDouble.empty(),
          0,
          Optional.of(BOUND));

  static PodState state(Phase phase, Container container, Instant readyChanged) {
    return new PodState(
        POD,
        phase,
        "",
        "",
        "127.100.0.1",
        "10.0.0.2",
        ADMITTED,
        readyChanged,
        container,
        Optional.empty(),
        0);
  }

  static Map<String, PodCondition> conditions(PodStatus status) {
    return status.getConditions().stream().collect(Collectors.toMap(PodCondition::getType, c -> c));
  }

  @Test
  void pendingIsScheduledAndInitializedButNotReadyWithItsContainerCreating() {
    PodStatus status = PodStatuses.status(state(Phase.Pending, Container.creating(), ADMITTED));
    assertThat(status.getPhase()).isEqualTo("Pending");
    assertThat(status.getStartTime()).isEqualTo("2026-12-02T00:00:00.010Z");
    assertThat(status.getHostIP()).isEqualTo("127.100.0.1");
    assertThat(status.getPodIP()).isEqualTo("10.0.0.2");
    var conditions = conditions(status);
    assertThat(conditions)
        .containsOnlyKeys("PodScheduled", "Initialized", "ContainersReady", "Ready");
    assertThat(conditions.get("PodScheduled").getLastTransitionTime())
        .isEqualTo("2026-12-02T00:00:00Z");
    assertThat(conditions.get("Initialized").getStatus()).isEqualTo("True");
    assertThat(conditions.get("Ready").getStatus()).isEqualTo("False");
    assertThat(conditions.get("Ready").getReason()).isEqualTo("ContainersNotReady");
    var container = status.getContainerStatuses().get(0);
    assertThat(container.getName()).isEqualTo("main");
    assertThat(container.getState().getWaiting().getReason()).isEqualTo("ContainerCreating");
    assertThat(container.getReady()).isFalse();
    assertThat(container.getContainerID()).isNull();
  }

  @Test
  void runningIsReadySinceItsStartAndTerminatedKeepsBothTimesAndTheExitCode() {
    PodStatus running =
        PodStatuses.status(state(Phase.Running, Container.running(STARTED, 0), STARTED));
    assertThat(conditions(running).get("Ready").getStatus()).isEqualTo("True");
    assertThat(conditions(running).get("Ready").getLastTransitionTime())
        .isEqualTo("2026-12-02T00:00:00.123Z");
    var c = running.getContainerStatuses().get(0);
    assertThat(c.getState().getRunning().getStartedAt()).isEqualTo("2026-12-02T00:00:00.123Z");
    assertThat(c.getStarted()).isTrue();
    assertThat(c.getContainerID()).startsWith("containerd://");
    assertThat(c.getImageID()).startsWith("ghcr.io/acme/app@sha256:");

    PodStatus done =
        PodStatuses.status(
            state(Phase.Failed, Container.terminated("OOMKilled", "", 137, STARTED, ENDED), ENDED));
    assertThat(done.getPhase()).isEqualTo("Failed");
    assertThat(conditions(done).get("Ready").getReason()).isEqualTo("PodCompleted");
    var t = done.getContainerStatuses().get(0).getState().getTerminated();
    assertThat(t.getReason()).isEqualTo("OOMKilled");
    assertThat(t.getExitCode()).isEqualTo(137);
    assertThat(t.getStartedAt()).isEqualTo("2026-12-02T00:00:00.123Z");
    assertThat(t.getFinishedAt()).isEqualTo("2026-12-02T00:00:04.567Z");
    assertThat(t.getContainerID()).isEqualTo(c.getContainerID());
  }

  @Test
  void aRefusedPodHasItsReasonAndNoContainers() {
    PodStatus refused =
        PodStatuses.status(
            new PodState(
                POD,
                Phase.Failed,
                "OutOfnvidia.com/gpu",
                "Pod was rejected",
                "127.100.0.1",
                "",
                ADMITTED,
                ADMITTED,
                Container.none(),
                Optional.empty(),
                0));
    assertThat(refused.getReason()).isEqualTo("OutOfnvidia.com/gpu");
    assertThat(refused.getMessage()).isEqualTo("Pod was rejected");
    assertThat(refused.getContainerStatuses()).isEmpty();
    assertThat(refused.getPodIP()).isNull();
    assertThat(conditions(refused)).containsOnlyKeys("PodScheduled");
  }
}
