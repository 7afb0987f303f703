package dev.cotenant.localstack.kubelet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BoundPodTest {

  static BoundPod pod(Map<String, String> labels, Map<String, String> annotations, long gpus) {
    return BoundPod.of(
        "uid-1",
        "demo",
        "p-0",
        "node-a",
        labels,
        annotations,
        "ghcr.io/acme/resnet50:1.2@sha256:abc",
        List.of("main", "sidecar"),
        "Never",
        1500,
        gpus,
        0,
        0,
        Optional.empty());
  }

  @Test
  void theAppIsTheAnnotationElseTheLabelElseTheImageRepository() {
    assertThat(pod(Map.of("cotenant.dev/app", "lbl"), Map.of("cotenant.dev/app", "ann"), 0).app())
        .isEqualTo("ann");
    assertThat(pod(Map.of("cotenant.dev/app", "lbl"), Map.of(), 0).app()).isEqualTo("lbl");
    assertThat(pod(Map.of(), Map.of(), 0).app()).isEqualTo("resnet50");
  }

  @Test
  void readsPinningSharesRunTimeAndExitCodeAndIgnoresWhatDoesNotParse() {
    BoundPod pod =
        pod(
            Map.of(),
            Map.of(
                "cotenant.dev/gpu-uuid", "GPU-1, GPU-2",
                "cotenant.dev/gpu-index", "1,x,2",
                "cotenant.dev/gpu-milli", "250",
                "cotenant.dev/gpu-memory-mib", "3072",
                "sim.cotenant.dev/solo-seconds", "120.5",
                "sim.cotenant.dev/exit-code", "3"),
            0);
    assertThat(pod.pinnedUuids()).containsExactly("GPU-1", "GPU-2");
    assertThat(pod.pinnedIndexes()).containsExactly(1, 2);
    assertThat(pod.share()).isTrue();
    assertThat(pod.shareMemoryMiB()).isEqualTo(3072);
    assertThat(pod.soloSeconds()).hasValue(120.5);
    assertThat(pod.exitCode()).isEqualTo(3);
    assertThat(pod.cpuMilli()).isEqualTo(1500);
    assertThat(pod.containers()).containsExactly("main", "sidecar");
    assertThat(pod.usesGpu()).isTrue();

    BoundPod garbage =
        pod(
            Map.of(),
            Map.of("sim.cotenant.dev/solo-seconds", "-4", "sim.cotenant.dev/exit-code", "x"),
            0);
    assertThat(garbage.soloSeconds()).isEmpty();
    assertThat(garbage.exitCode()).isZero();
    assertThat(garbage.usesGpu()).isFalse();
  }

  @Test
  void aFanOutsPodRunsItsShareOfTheJobByTheReplicaCountTheSchedulerWrote() {
    Map<String, String> job =
        Map.of("sim.cotenant.dev/job-solo-seconds", "300", "cotenant.dev/replicas", "4");
    assertThat(pod(Map.of(), job, 0).soloSeconds()).hasValue(75.0);
    // The pod's own run time wins; without a replica count the job is one replica.
    assertThat(
            pod(
                    Map.of(),
                    Map.of(
                        "sim.cotenant.dev/job-solo-seconds", "300",
                        "sim.cotenant.dev/solo-seconds", "10"),
                    0)
                .soloSeconds())
        .hasValue(10.0);
    assertThat(pod(Map.of(), Map.of("sim.cotenant.dev/job-solo-seconds", "300"), 0).soloSeconds())
        .hasValue(300.0);
  }

  @Test
  void hamisResourcesMakeAShareAndWholeCardsAreNone() {
    BoundPod hami =
        BoundPod.of(
            "u",
            "ns",
            "p",
            "n",
            Map.of(),
            Map.of("nvidia.com/use-gpuuuid", "GPU-9"),
            "img",
            List.of(),
            "Always",
            0,
            0,
            4000,
            30,
            Optional.empty());
    assertThat(hami.share()).isTrue();
    assertThat(hami.shareMemoryMiB()).isEqualTo(4000);
    assertThat(hami.pinnedUuids()).containsExactly("GPU-9");
    assertThat(hami.restartAlways()).isTrue();
    assertThat(hami.containers()).containsExactly("main");

    BoundPod whole = pod(Map.of(), Map.of(), 2);
    assertThat(whole.share()).isFalse();
    assertThat(whole.wholeGpus()).isEqualTo(2);
  }
}
