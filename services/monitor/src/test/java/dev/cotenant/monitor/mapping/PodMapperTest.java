package dev.cotenant.monitor.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cotenant.events.GpuRef;
import dev.cotenant.monitor.lifecycle.NodeInfo;
import dev.cotenant.monitor.lifecycle.PodRun;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Pods as a kubelet reports them, read without a cluster. */
class PodMapperTest {

  static PodBuilder pod(Map<String, String> labels, Map<String, String> annotations) {
    return new PodBuilder()
        .withNewMetadata()
        .withName("resnet-0")
        .withNamespace("team-a")
        .withUid("u-1")
        .withLabels(labels)
        .withAnnotations(annotations)
        .endMetadata()
        .withNewSpec()
        .withNodeName("gpu-0")
        .addNewContainer()
        .withName("main")
        .withImage("ghcr.io/acme/resnet50:1.2")
        .endContainer()
        .endSpec();
  }

  static ContainerStatus running(String since) {
    return new ContainerStatusBuilder()
        .withName("main")
        .withState(
            new ContainerStateBuilder().withNewRunning().withStartedAt(since).endRunning().build())
        .build();
  }

  static ContainerStatus terminated(String name, String from, String to, int exit, String reason) {
    return new ContainerStatusBuilder()
        .withName(name)
        .withState(
            new ContainerStateBuilder()
                .withNewTerminated()
                .withStartedAt(from)
                .withFinishedAt(to)
                .withExitCode(exit)
                .withReason(reason)
                .endTerminated()
                .build())
        .build();
  }

  @Test
  void aPlacedPodWithItsJobTenantAppAndCards() {
    Pod pod =
        pod(
                Map.of(
                    "cotenant.dev/job-id", "job-1",
                    "cotenant.dev/tenant", "acme",
                    "cotenant.dev/app", "resnet50"),
                Map.of(
                    "cotenant.dev/app", "resnet50-bs64",
                    "cotenant.dev/gpu-index", "0,3",
                    "cotenant.dev/gpu-uuid", "GPU-a,GPU-d"))
            .withNewStatus()
            .withPhase("Running")
            .withStartTime("2026-12-01T09:59:50Z")
            .withContainerStatuses(running("2026-12-01T10:00:00Z"))
            .endStatus()
            .build();
    PodRun run = PodMapper.toRun(pod);
    assertThat(run.uid()).isEqualTo("u-1");
    assertThat(run.jobId()).isEqualTo("job-1");
    assertThat(run.tenant()).isEqualTo("acme");
    assertThat(run.app()).isEqualTo("resnet50-bs64");
    assertThat(run.node()).isEqualTo("gpu-0");
    assertThat(run.gpus()).containsExactly(new GpuRef(0, "GPU-a"), new GpuRef(3, "GPU-d"));
    // The containers' start, not the kubelet's acknowledgement of the pod.
    assertThat(run.startedAt()).hasValue(Instant.parse("2026-12-01T10:00:00Z"));
    assertThat(run.end()).isEmpty();
  }

  @Test
  void aForeignPodIsReportedUnderItsNamespace() {
    Pod pod =
        pod(Map.of(), Map.of("nvidia.com/use-gpuuuid", "GPU-b"))
            .withNewStatus()
            .endStatus()
            .build();
    PodRun run = PodMapper.toRun(pod);
    assertThat(run.jobId()).isEqualTo("team-a/resnet-0");
    assertThat(run.tenant()).isEqualTo("team-a");
    assertThat(run.app()).isEqualTo("resnet50");
    assertThat(run.gpus()).containsExactly(new GpuRef(-1, "GPU-b"));
    assertThat(run.startedAt()).isEmpty();
    assertThat(pod.getMetadata().getOwnerReferences()).isNullOrEmpty();
    assertThat(PodMapper.isDaemon(pod)).isFalse();
  }

  @Test
  void anOomKillExplainsTheEndWhateverTheOtherContainersDid() {
    Pod pod =
        pod(Map.of(), Map.of())
            .withNewStatus()
            .withPhase("Failed")
            .withContainerStatuses(
                terminated("side", "2026-12-01T10:00:00Z", "2026-12-01T10:02:00Z", 1, "Error"),
                terminated(
                    "main", "2026-12-01T10:00:05Z", "2026-12-01T10:01:00Z", 137, "OOMKilled"))
            .endStatus()
            .build();
    PodRun.End end = PodMapper.toRun(pod).end().get();
    assertThat(end.succeeded()).isFalse();
    assertThat(end.oomKilled()).isTrue();
    assertThat(end.exitCode()).hasValue(137);
    assertThat(end.finishedAt()).hasValue(Instant.parse("2026-12-01T10:02:00Z"));
    assertThat(PodMapper.toRun(pod).startedAt()).hasValue(Instant.parse("2026-12-01T10:00:00Z"));
  }

  @Test
  void aSuccessAndAPodFailedWithItsNode() {
    Pod done =
        pod(Map.of(), Map.of())
            .withNewStatus()
            .withPhase("Succeeded")
            .withContainerStatuses(
                terminated("main", "2026-12-01T10:00:00Z", "2026-12-01T10:05:00Z", 0, "Completed"))
            .endStatus()
            .build();
    PodRun.End ok = PodMapper.toRun(done).end().get();
    assertThat(ok.succeeded()).isTrue();
    assertThat(ok.exitCode()).hasValue(0);

    Pod lost =
        pod(Map.of(), Map.of())
            .withNewStatus()
            .withPhase("Failed")
            .withReason("NodeLost")
            .addNewCondition()
            .withType("Ready")
            .withStatus("False")
            .withLastTransitionTime("2026-12-01T10:03:00Z")
            .endCondition()
            .addNewCondition()
            .withType("DisruptionTarget")
            .withStatus("True")
            .endCondition()
            .withContainerStatuses(running("2026-12-01T10:00:00Z"))
            .endStatus()
            .build();
    PodRun.End end = PodMapper.toRun(lost).end().get();
    assertThat(end.reason()).isEqualTo("NodeLost");
    assertThat(end.disrupted()).isTrue();
    assertThat(end.exitCode()).isEmpty();
    assertThat(end.finishedAt()).hasValue(Instant.parse("2026-12-01T10:03:00Z"));
  }

  @Test
  void daemonSetPodsAreNotWorkloads() {
    Pod pod =
        pod(Map.of("app", "nvidia-dcgm-exporter"), Map.of())
            .editMetadata()
            .addNewOwnerReference()
            .withKind("DaemonSet")
            .withName("nvidia-dcgm-exporter")
            .withApiVersion("apps/v1")
            .withUid("ds")
            .endOwnerReference()
            .endMetadata()
            .build();
    assertThat(PodMapper.isDaemon(pod)).isTrue();
  }

  @Test
  void aNodesReadinessAndCards() {
    NodeInfo info =
        NodeMapper.toInfo(
            new NodeBuilder()
                .withNewMetadata()
                .withName("gpu-0")
                .withLabels(
                    Map.of(
                        "nvidia.com/gpu.product", "Tesla-P100", "nvidia.com/gpu.memory", "16000"))
                .withAnnotations(Map.of("cotenant.dev/gpu-uuids", "GPU-a,GPU-b"))
                .endMetadata()
                .withNewStatus()
                .addNewCondition()
                .withType("Ready")
                .withStatus("Unknown")
                .endCondition()
                .endStatus()
                .build());
    assertThat(info)
        .isEqualTo(
            new NodeInfo(
                "gpu-0", false, List.of("GPU-a", "GPU-b"), Optional.of("Tesla-P100"), 16_000));
  }
}
