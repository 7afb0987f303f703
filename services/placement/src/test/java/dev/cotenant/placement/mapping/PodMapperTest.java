package dev.cotenant.placement.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cotenant.placement.model.PodShape;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class PodMapperTest {

  private static Map<String, Quantity> quantities(String... keyValues) {
    Map<String, Quantity> m = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put(keyValues[i], new Quantity(keyValues[i + 1]));
    }
    return m;
  }

  private static Container container(String name, Map<String, Quantity> requests) {
    return container(name, requests, Map.of());
  }

  private static Container container(
      String name, Map<String, Quantity> requests, Map<String, Quantity> limits) {
    return new ContainerBuilder()
        .withName(name)
        .withImage("ghcr.io/acme/" + name + ":1")
        .withNewResources()
        .withRequests(requests)
        .withLimits(limits)
        .endResources()
        .build();
  }

  private static PodBuilder pod(String name) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace("team-a")
        .withName(name)
        .withUid("uid-" + name)
        .endMetadata()
        .withNewSpec()
        .withContainers(container("main", quantities("cpu", "1", "memory", "1Gi")))
        .endSpec();
  }

  private static PodShape shape(Pod pod) {
    return PodMapper.observe(pod).shape();
  }

  // ---- shape ----

  @Test
  void containersRequestsAreSummed() {
    Pod p =
        pod("p")
            .editSpec()
            .withContainers(
                container("a", quantities("cpu", "1500m", "memory", "2Gi")),
                container("b", quantities("cpu", "500m", "memory", "512Mi")))
            .endSpec()
            .build();

    assertThat(shape(p)).isEqualTo(PodShape.cpu(2000, 2560));
  }

  @Test
  void aLimitCountsWhereTheRequestIsMissing() {
    Pod p =
        pod("p")
            .editSpec()
            .withContainers(
                container(
                    "a",
                    quantities("cpu", "1"),
                    // The request wins over the limit; memory has only a limit.
                    quantities("cpu", "4", "memory", "3Gi")),
                new ContainerBuilder().withName("no-resources").withImage("busybox").build())
            .endSpec()
            .build();

    assertThat(shape(p)).isEqualTo(PodShape.cpu(1000, 3072));
  }

  @Test
  void theLargestInitContainerSetsTheFloor() {
    Pod p =
        pod("p")
            .editSpec()
            .withContainers(
                container("a", quantities("cpu", "1", "memory", "1Gi")),
                container("b", quantities("cpu", "1", "memory", "1Gi")))
            .withInitContainers(
                container("init-cpu", quantities("cpu", "3", "memory", "100Mi")),
                container("init-mem", quantities("cpu", "100m", "memory", "1500Mi")))
            .endSpec()
            .build();

    // max(sum of containers, each init container), per resource: cpu 3000 > 2000, memory 2048 >
    // 1500.
    assertThat(shape(p)).isEqualTo(PodShape.cpu(3000, 2048));
  }

  @Test
  void wholeGpusFromTheDevicePluginResource() {
    Pod p =
        pod("p")
            .editSpec()
            .withContainers(
                container(
                    "a",
                    quantities("cpu", "2", "memory", "8Gi"),
                    quantities("nvidia.com/gpu", "2")),
                container("b", quantities("cpu", "1", "memory", "1Gi", "nvidia.com/gpu", "1")))
            .endSpec()
            .build();

    assertThat(shape(p)).isEqualTo(PodShape.whole(3000, 9216, 3));
  }

  @Test
  void aShareFromOurAnnotationsWinsOverWholeGpus() {
    Pod p =
        pod("p")
            .editMetadata()
            .addToAnnotations("cotenant.dev/gpu-milli", "250")
            .addToAnnotations("cotenant.dev/gpu-memory-mib", "6144")
            .endMetadata()
            .editSpec()
            .withContainers(
                container("a", quantities("cpu", "1", "memory", "1Gi", "nvidia.com/gpu", "1")))
            .endSpec()
            .build();

    assertThat(shape(p)).isEqualTo(PodShape.share(1000, 1024, 250, 6144));
  }

  @ParameterizedTest(name = "milli {0}, memory {1} -> share {2}/{3}")
  @CsvSource({
    "300, '', 300, 0",
    "'', 2048, 0, 2048",
    "1500, 1024, 1000, 1024",
    // Free text on a foreign pod: a negative or garbled value is no share, never an exception.
    "-100, 1024, 0, 1024",
    "abc, 512, 0, 512"
  })
  void shareAnnotations(String milli, String memory, int gpuMilli, long gpuMemory) {
    PodBuilder b = pod("p");
    if (!milli.isEmpty()) {
      b.editMetadata().addToAnnotations("cotenant.dev/gpu-milli", milli).endMetadata();
    }
    if (!memory.isEmpty()) {
      b.editMetadata().addToAnnotations("cotenant.dev/gpu-memory-mib", memory).endMetadata();
    }

    assertThat(shape(b.build())).isEqualTo(PodShape.share(1000, 1024, gpuMilli, gpuMemory));
  }

  @Test
  void negativeShareAnnotationsAloneMeanNoShare() {
    Pod p =
        pod("p")
            .editMetadata()
            .addToAnnotations("cotenant.dev/gpu-milli", "-1")
            .addToAnnotations("cotenant.dev/gpu-memory-mib", "-1")
            .endMetadata()
            .build();

    assertThat(shape(p)).isEqualTo(PodShape.cpu(1000, 1024));
  }

  @ParameterizedTest(name = "gpucores {0}, gpumem {1} -> share {2}/{3}")
  @CsvSource({"30, 4000, 300, 4000", "100, 0, 1000, 0", "0, 8192, 0, 8192", "150, 100, 1000, 100"})
  void hamiShareResources(String cores, String mem, int milli, long gpuMemory) {
    Map<String, Quantity> limits = quantities("nvidia.com/gpu", "1");
    if (!cores.equals("0")) {
      limits.put("nvidia.com/gpucores", new Quantity(cores));
    }
    if (!mem.equals("0")) {
      limits.put("nvidia.com/gpumem", new Quantity(mem));
    }
    Pod p =
        pod("p")
            .editSpec()
            .withContainers(container("a", quantities("cpu", "2", "memory", "4Gi"), limits))
            .endSpec()
            .build();

    assertThat(shape(p)).isEqualTo(PodShape.share(2000, 4096, milli, gpuMemory));
  }

  @Test
  void ourAnnotationsWinOverHami() {
    Pod p =
        pod("p")
            .editMetadata()
            .addToAnnotations("cotenant.dev/gpu-milli", "500")
            .addToAnnotations("cotenant.dev/gpu-memory-mib", "2048")
            .endMetadata()
            .editSpec()
            .withContainers(
                container(
                    "a",
                    quantities("cpu", "1", "memory", "1Gi"),
                    quantities(
                        "nvidia.com/gpu",
                        "1",
                        "nvidia.com/gpucores",
                        "20",
                        "nvidia.com/gpumem",
                        "1000")))
            .endSpec()
            .build();

    assertThat(shape(p)).isEqualTo(PodShape.share(1000, 1024, 500, 2048));
  }

  @Test
  void aPodWithoutSpecAsksForNothing() {
    Pod p =
        new PodBuilder().withNewMetadata().withNamespace("n").withName("x").endMetadata().build();

    ObservedPod o = PodMapper.observe(p);

    assertThat(o.shape()).isEqualTo(PodShape.cpu(0, 0));
    assertThat(o.schedulerName()).isEqualTo("default-scheduler");
    assertThat(o.node()).isEmpty();
    assertThat(o.phase()).isEqualTo(ObservedPod.Phase.PENDING);
  }

  // ---- phase, failure, times ----

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "Pending, PENDING",
    "Running, RUNNING",
    "Succeeded, SUCCEEDED",
    "Failed, FAILED",
    "Unknown, UNKNOWN",
    "Weird, UNKNOWN"
  })
  void phases(String phase, ObservedPod.Phase expected) {
    Pod p = pod("p").withNewStatus().withPhase(phase).endStatus().build();

    assertThat(PodMapper.observe(p).phase()).isEqualTo(expected);
  }

  @ParameterizedTest
  @NullSource
  void noPhaseIsPending(String phase) {
    Pod p = pod("p").withNewStatus().withPhase(phase).endStatus().build();

    assertThat(PodMapper.observe(p).phase()).isEqualTo(ObservedPod.Phase.PENDING);
  }

  private static ContainerStatus terminated(
      String name, int exitCode, String reason, String message, String finishedAt) {
    return new ContainerStatusBuilder()
        .withName(name)
        .withNewState()
        .withNewTerminated()
        .withExitCode(exitCode)
        .withReason(reason)
        .withMessage(message)
        .withFinishedAt(finishedAt)
        .endTerminated()
        .endState()
        .build();
  }

  @Test
  void anOomKilledContainerIsTheFailure() {
    Pod p =
        pod("p")
            .withNewStatus()
            .withPhase("Failed")
            .withContainerStatuses(
                terminated("main", 137, "OOMKilled", null, "2024-05-01T10:05:00Z"))
            .endStatus()
            .build();

    ObservedPod o = PodMapper.observe(p);

    assertThat(o.failure()).isEqualTo("OOMKilled");
    assertThat(o.oomKilled()).isTrue();
    assertThat(o.failureMessage()).isEqualTo("container main exited with 137");
  }

  @Test
  void anOomKillIsReportedWhateverTheOtherContainersDidAndTheLastEndCounts() {
    Pod p =
        pod("p")
            .withNewStatus()
            .withPhase("Failed")
            .withContainerStatuses(
                terminated("first", 1, "Error", "boom", "2024-05-01T10:01:00Z"),
                terminated("trainer", 137, "OOMKilled", null, "2024-05-01T10:02:00Z"),
                terminated("sidecar", 2, "Error", "lost its partner", "2024-05-01T10:07:30Z"))
            .endStatus()
            .build();

    ObservedPod o = PodMapper.observe(p);

    assertThat(o.oomKilled()).isTrue();
    assertThat(o.failureMessage()).isEqualTo("container trainer exited with 137");
    assertThat(o.finishedAt()).contains(Instant.parse("2024-05-01T10:07:30Z"));
  }

  @Test
  void aNonZeroExitIsTheFailureWithItsMessage() {
    Pod p =
        pod("p")
            .withNewStatus()
            .withPhase("Failed")
            .withReason("ignored")
            .withContainerStatuses(
                terminated("ok", 0, "Completed", null, "2024-05-01T10:01:00Z"),
                terminated("main", 3, null, "bad input", "2024-05-01T10:00:00Z"))
            .endStatus()
            .build();

    ObservedPod o = PodMapper.observe(p);

    assertThat(o.failure()).isEqualTo("Error");
    assertThat(o.oomKilled()).isFalse();
    assertThat(o.failureMessage()).isEqualTo("container main exited with 3: bad input");
    // The latest end of any container, not the failing one's.
    assertThat(o.finishedAt()).contains(Instant.parse("2024-05-01T10:01:00Z"));
  }

  @Test
  void aFailedPodWithoutAFailedContainerTakesThePodsReason() {
    Pod p =
        pod("p")
            .withNewStatus()
            .withPhase("Failed")
            .withReason("Evicted")
            .withMessage("The node was low on resource: memory.")
            .endStatus()
            .build();

    ObservedPod o = PodMapper.observe(p);

    assertThat(o.failure()).isEqualTo("Evicted");
    assertThat(o.failureMessage()).isEqualTo("The node was low on resource: memory.");
  }

  @Test
  void aFailedPodWithNoReasonAtAllIsFailed() {
    Pod p = pod("p").withNewStatus().withPhase("Failed").endStatus().build();

    ObservedPod o = PodMapper.observe(p);

    assertThat(o.failure()).isEqualTo("Failed");
    assertThat(o.failureMessage()).isEmpty();
  }

  @Test
  void aSucceededPodHasNoFailure() {
    Pod p =
        pod("p")
            .withNewStatus()
            .withPhase("Succeeded")
            .withStartTime("2024-05-01T10:00:00Z")
            .withContainerStatuses(terminated("main", 0, "Completed", null, "2024-05-01T11:30:15Z"))
            .endStatus()
            .build();

    ObservedPod o = PodMapper.observe(p);

    assertThat(o.failure()).isEmpty();
    assertThat(o.failureMessage()).isEmpty();
    assertThat(o.startedAt()).contains(Instant.parse("2024-05-01T10:00:00Z"));
    assertThat(o.finishedAt()).contains(Instant.parse("2024-05-01T11:30:15Z"));
  }

  @ParameterizedTest(name = "startTime ''{0}''")
  @ValueSource(strings = {"", "yesterday", "2024-05-01 10:00:00"})
  void anUnreadableStartTimeIsNone(String startTime) {
    Pod p =
        pod("p").withNewStatus().withPhase("Running").withStartTime(startTime).endStatus().build();

    assertThat(PodMapper.observe(p).startedAt()).isEmpty();
  }

  @Test
  void anOffsetStartTimeIsReadAsAnInstant() {
    Pod p =
        pod("p")
            .withNewStatus()
            .withPhase("Running")
            .withStartTime("2024-05-01T12:00:00+02:00")
            .endStatus()
            .build();

    ObservedPod o = PodMapper.observe(p);

    assertThat(o.startedAt()).contains(Instant.parse("2024-05-01T10:00:00Z"));
    assertThat(o.finishedAt()).isEmpty();
  }

  // ---- node ----

  @Test
  void theNodeIsSpecNodeNameWhenBound() {
    Pod p =
        pod("p")
            .editMetadata()
            .addToAnnotations("cotenant.dev/assigned-node", "node-b")
            .endMetadata()
            .editSpec()
            .withNodeName("node-a")
            .endSpec()
            .build();

    ObservedPod o = PodMapper.observe(p);

    assertThat(o.node()).contains("node-a");
    assertThat(o.bound()).isTrue();
  }

  @Test
  void theNodeIsTheAssignedOneBeforeBinding() {
    Pod p =
        pod("p")
            .editMetadata()
            .addToAnnotations("cotenant.dev/assigned-node", "node-b")
            .endMetadata()
            .build();

    ObservedPod o = PodMapper.observe(p);

    assertThat(o.node()).contains("node-b");
    assertThat(o.bound()).isFalse();
    assertThat(o.holdsCapacity()).isTrue();
  }

  @Test
  void blankNodeNamesAreNoNode() {
    Pod p =
        pod("p")
            .editMetadata()
            .addToAnnotations("cotenant.dev/assigned-node", " ")
            .endMetadata()
            .editSpec()
            .withNodeName("")
            .endSpec()
            .build();

    ObservedPod o = PodMapper.observe(p);

    assertThat(o.node()).isEmpty();
    assertThat(o.bound()).isFalse();
    assertThat(o.holdsCapacity()).isFalse();
  }

  // ---- identity ----

  @Test
  void identityOfAPodWeCreated() {
    Pod p =
        pod("job-7-1")
            .editMetadata()
            .addToLabels("cotenant.dev/job-id", "job-7")
            .addToLabels("cotenant.dev/tenant", "acme")
            .addToLabels("cotenant.dev/app", "resnet50_label")
            .addToLabels("cotenant.dev/replica", "1")
            .addToAnnotations("cotenant.dev/app", "resnet50/exact")
            .addToAnnotations("cotenant.dev/replicas", "4")
            .addToAnnotations("cotenant.dev/policy", "binpack")
            .addToAnnotations("cotenant.dev/attempt", "2")
            .addToAnnotations("cotenant.dev/gpu-index", "2,0")
            .addToAnnotations("cotenant.dev/gpu-uuid", "GPU-c,GPU-a")
            .withDeletionTimestamp("2024-05-01T10:00:00Z")
            .endMetadata()
            .editSpec()
            .withSchedulerName("cotenant")
            .endSpec()
            .build();

    ObservedPod o = PodMapper.observe(p);

    assertThat(o.key()).isEqualTo("team-a/job-7-1");
    assertThat(o.namespace()).isEqualTo("team-a");
    assertThat(o.name()).isEqualTo("job-7-1");
    assertThat(o.uid()).isEqualTo("uid-job-7-1");
    assertThat(o.ours()).isTrue();
    assertThat(o.jobId()).contains("job-7");
    assertThat(o.tenant()).isEqualTo("acme");
    assertThat(o.app()).isEqualTo("resnet50/exact");
    assertThat(o.replica()).isEqualTo(1);
    assertThat(o.replicas()).isEqualTo(4);
    assertThat(o.policy()).isEqualTo("binpack");
    assertThat(o.attempt()).isEqualTo(2);
    assertThat(o.gpuIndexes()).containsExactly(2, 0);
    assertThat(o.gpuUuids()).containsExactly("GPU-c", "GPU-a");
    assertThat(o.schedulerName()).isEqualTo("cotenant");
    assertThat(o.deleting()).isTrue();
    assertThat(o.pendingForUs("cotenant")).isFalse();
  }

  @Test
  void aForeignPodHasDefaults() {
    ObservedPod o = PodMapper.observe(pod("web").build());

    assertThat(o.ours()).isFalse();
    assertThat(o.jobId()).isEmpty();
    assertThat(o.tenant()).isEqualTo("team-a");
    assertThat(o.replica()).isZero();
    assertThat(o.replicas()).isEqualTo(1);
    assertThat(o.attempt()).isZero();
    assertThat(o.policy()).isEmpty();
    assertThat(o.gpuIndexes()).isEmpty();
    assertThat(o.gpuUuids()).isEmpty();
    assertThat(o.podGroup()).isEmpty();
    assertThat(o.gangSize()).isEmpty();
    assertThat(o.deleting()).isFalse();
    assertThat(o.pendingForUs("cotenant")).isFalse();
    assertThat(o.pendingForUs("default-scheduler")).isTrue();
  }

  @Test
  void unreadableNumbersFallBackToTheirDefaults() {
    Pod p =
        pod("p")
            .editMetadata()
            .addToLabels("cotenant.dev/replica", "one")
            .addToAnnotations("cotenant.dev/replicas", "")
            .addToAnnotations("cotenant.dev/gpu-index", "1,x,-2, 3")
            .endMetadata()
            .build();

    ObservedPod o = PodMapper.observe(p);

    assertThat(o.replica()).isZero();
    assertThat(o.replicas()).isEqualTo(1);
    assertThat(o.gpuIndexes()).containsExactly(1, 3);
  }

  @ParameterizedTest(name = "labels {0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "cotenant.dev/app=ours,app.kubernetes.io/name=k8s,app=plain | ours",
        "app.kubernetes.io/name=k8s,app=plain | k8s",
        "app=plain | plain",
        "app= ,team=x | main",
        "cotenant.dev/app=,app=plain | plain"
      })
  void appFromLabelsInOrder(String labels, String app) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String kv : labels.split(",")) {
      String[] parts = kv.split("=", -1);
      m.put(parts[0], parts[1]);
    }
    Pod p = pod("p").editMetadata().withLabels(m).endMetadata().build();

    assertThat(PodMapper.observe(p).app()).isEqualTo(app);
  }

  @Test
  void theAppAnnotationWinsOverLabels() {
    Pod p =
        pod("p")
            .editMetadata()
            .addToLabels("app", "plain")
            .addToAnnotations("cotenant.dev/app", "annotated")
            .endMetadata()
            .build();

    assertThat(PodMapper.observe(p).app()).isEqualTo("annotated");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "ghcr.io/acme/resnet50:1.2@sha256:0123abcd, resnet50",
    "ghcr.io/acme/bert, bert",
    "localhost:5000/team/llama:latest, llama",
    "localhost:5000/yolo, yolo",
    "busybox:1.36, busybox",
    "busybox, busybox"
  })
  void withoutLabelsTheAppIsTheImagesRepository(String image, String app) {
    Pod p =
        pod("p")
            .editSpec()
            .withContainers(new ContainerBuilder().withName("c").withImage(image).build())
            .endSpec()
            .build();

    assertThat(PodMapper.observe(p).app()).isEqualTo(app);
  }

  @Test
  void withoutContainersTheAppIsThePodsName() {
    Pod p = pod("lonely").editSpec().withContainers(List.of()).endSpec().build();

    assertThat(PodMapper.observe(p).app()).isEqualTo("lonely");
  }

  @Test
  void aForeignGangFromItsPodGroupLabelAndGangSize() {
    Pod p =
        pod("w-0")
            .editMetadata()
            .addToLabels("scheduling.x-k8s.io/pod-group", "trainers")
            .addToAnnotations("cotenant.dev/gang-size", "4")
            .endMetadata()
            .build();

    ObservedPod o = PodMapper.observe(p);

    assertThat(o.podGroup()).contains("trainers");
    assertThat(o.gangSize()).contains(4);
  }

  @ParameterizedTest(name = "group ''{0}'', size ''{1}''")
  @CsvSource({"' ', 4", "trainers, 0", "trainers, -3", "trainers, many"})
  void aBlankGroupOrANonPositiveSizeIsNone(String group, String size) {
    Pod p =
        pod("w-0")
            .editMetadata()
            .addToLabels("scheduling.x-k8s.io/pod-group", group)
            .addToAnnotations("cotenant.dev/gang-size", size)
            .endMetadata()
            .build();

    ObservedPod o = PodMapper.observe(p);

    assertThat(o.podGroup().isPresent()).isEqualTo(!group.isBlank());
    assertThat(o.gangSize()).isEqualTo(Optional.ofNullable(size.equals("4") ? 4 : null));
  }
}
