package dev.cotenant.placement.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cotenant.placement.model.GpuInfo;
import dev.cotenant.placement.model.NodeInfo;
import dev.cotenant.sim.cluster.NodeSpec;
import dev.cotenant.testsupport.KubernetesApiServer;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class NodeMapperTest {
  private static final NodeSpec GPU_NODE =
      new NodeSpec("gpu-1", 8000, 65536, 4, "NVIDIA-A100-SXM4-40GB", 40960);

  private static NodeInfo mapped(Node node) {
    NodeMapper.Result r = NodeMapper.map(node);
    assertThat(r.excludedBecause()).as("excluded because").isEmpty();
    assertThat(r.info()).isPresent();
    return r.info().orElseThrow();
  }

  /** The test-support node with its allocatable (and capacity) resources replaced. */
  private static Node withResources(Map<String, String> allocatable) {
    Map<String, Quantity> q = new LinkedHashMap<>();
    allocatable.forEach((k, v) -> q.put(k, new Quantity(v)));
    return new NodeBuilder(KubernetesApiServer.toNode(GPU_NODE))
        .editStatus()
        .withAllocatable(q)
        .withCapacity(q)
        .endStatus()
        .build();
  }

  @Test
  void aGpuNodeOfTheTestSupportMapsWithItsResourcesAndCards() {
    Node node = KubernetesApiServer.toNode(GPU_NODE);
    NodeMapper.Result r = NodeMapper.map(node);

    assertThat(r.name()).isEqualTo("gpu-1");
    NodeInfo info = mapped(node);
    assertThat(info.name()).isEqualTo("gpu-1");
    assertThat(info.cpuMilli()).isEqualTo(8000);
    assertThat(info.memoryMiB()).isEqualTo(65536);
    assertThat(info.maxPods()).isEqualTo(110);
    List<String> uuids = KubernetesApiServer.gpuUuids(GPU_NODE);
    assertThat(info.gpus())
        .containsExactly(
            new GpuInfo(0, uuids.get(0), "NVIDIA-A100-SXM4-40GB", 40960),
            new GpuInfo(1, uuids.get(1), "NVIDIA-A100-SXM4-40GB", 40960),
            new GpuInfo(2, uuids.get(2), "NVIDIA-A100-SXM4-40GB", 40960),
            new GpuInfo(3, uuids.get(3), "NVIDIA-A100-SXM4-40GB", 40960));
    assertThat(uuids).doesNotHaveDuplicates().allMatch(u -> u.startsWith("GPU-"));
  }

  @Test
  void aCpuOnlyNodeMapsWithoutCardsAndNeedsNoGpuLabels() {
    NodeInfo info =
        mapped(KubernetesApiServer.toNode(new NodeSpec("cpu-1", 16000, 32768, 0, "", 0)));

    assertThat(info.cpuMilli()).isEqualTo(16000);
    assertThat(info.memoryMiB()).isEqualTo(32768);
    assertThat(info.gpus()).isEmpty();
  }

  @ParameterizedTest(name = "cpu {0} = {1} millicores")
  @CsvSource({"8, 8000", "7500m, 7500", "0.5, 500", "96, 96000", "250m, 250"})
  void cpuIsInMillicores(String cpu, long milli) {
    Node node = withResources(Map.of("cpu", cpu, "memory", "1Gi", "pods", "10"));

    assertThat(mapped(node).cpuMilli()).isEqualTo(milli);
  }

  @ParameterizedTest(name = "memory {0} = {1} MiB")
  @CsvSource({
    "64Gi, 65536",
    "512Mi, 512",
    "1073741824, 1024",
    // Decimal units: 10^9 bytes is 953.67 MiB, rounded down (never more than the node has).
    "1G, 953",
    "1048575, 0",
    "2Ti, 2097152"
  })
  void memoryIsInMiB(String memory, long mib) {
    Node node = withResources(Map.of("cpu", "1", "memory", memory, "pods", "10"));

    assertThat(mapped(node).memoryMiB()).isEqualTo(mib);
  }

  @Test
  void withoutAPodsLimitTheNodeTakesAnyNumberOfPods() {
    Node node = withResources(Map.of("cpu", "1", "memory", "1Gi"));

    assertThat(mapped(node).maxPods()).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void allocatableIsPreferredOverCapacity() {
    Node node =
        new NodeBuilder(KubernetesApiServer.toNode(GPU_NODE))
            .editStatus()
            .withCapacity(
                Map.of(
                    "cpu", new Quantity("8"),
                    "memory", new Quantity("64Gi"),
                    "pods", new Quantity("110"),
                    "nvidia.com/gpu", new Quantity("4")))
            .withAllocatable(
                Map.of(
                    "cpu", new Quantity("7500m"),
                    "memory", new Quantity("60Gi"),
                    "pods", new Quantity("100"),
                    "nvidia.com/gpu", new Quantity("3")))
            .endStatus()
            .build();

    NodeInfo info = mapped(node);

    assertThat(info.cpuMilli()).isEqualTo(7500);
    assertThat(info.memoryMiB()).isEqualTo(60 * 1024);
    assertThat(info.maxPods()).isEqualTo(100);
    // A card the device plugin marks unhealthy leaves allocatable: it is not offered.
    assertThat(info.gpus()).extracting(GpuInfo::index).containsExactly(0, 1, 2);
  }

  @Test
  void capacityIsUsedWhenThereIsNoAllocatable() {
    Node node =
        new NodeBuilder(KubernetesApiServer.toNode(GPU_NODE))
            .editStatus()
            .withAllocatable(null)
            .withCapacity(
                Map.of(
                    "cpu", new Quantity("4"),
                    "memory", new Quantity("16Gi"),
                    "pods", new Quantity("50"),
                    "nvidia.com/gpu", new Quantity("2")))
            .endStatus()
            .build();

    NodeInfo info = mapped(node);

    assertThat(info.cpuMilli()).isEqualTo(4000);
    assertThat(info.memoryMiB()).isEqualTo(16384);
    assertThat(info.maxPods()).isEqualTo(50);
    assertThat(info.gpus()).hasSize(2);
  }

  static Stream<Arguments> excluded() {
    return Stream.of(
        Arguments.of(
            "cordoned",
            (UnaryOperator<NodeBuilder>) b -> b.editSpec().withUnschedulable(true).endSpec(),
            "cordoned"),
        Arguments.of(
            "tainted NoSchedule",
            (UnaryOperator<NodeBuilder>)
                b ->
                    b.editSpec()
                        .withTaints(
                            new TaintBuilder()
                                .withKey("nvidia.com/gpu")
                                .withValue("maintenance")
                                .withEffect("NoSchedule")
                                .build())
                        .endSpec(),
            "tainted nvidia.com/gpu:NoSchedule"),
        Arguments.of(
            "tainted NoExecute after a harmless taint",
            (UnaryOperator<NodeBuilder>)
                b ->
                    b.editSpec()
                        .withTaints(
                            new TaintBuilder()
                                .withKey("example.org/soft")
                                .withEffect("PreferNoSchedule")
                                .build(),
                            new TaintBuilder()
                                .withKey("node.kubernetes.io/unreachable")
                                .withEffect("NoExecute")
                                .build())
                        .endSpec(),
            "tainted node.kubernetes.io/unreachable:NoExecute"),
        Arguments.of(
            "Ready False",
            (UnaryOperator<NodeBuilder>)
                b -> b.editStatus().withConditions(condition("Ready", "False")).endStatus(),
            "not Ready"),
        Arguments.of(
            "Ready Unknown",
            (UnaryOperator<NodeBuilder>)
                b -> b.editStatus().withConditions(condition("Ready", "Unknown")).endStatus(),
            "not Ready"),
        Arguments.of(
            "no Ready condition",
            (UnaryOperator<NodeBuilder>)
                b ->
                    b.editStatus().withConditions(condition("MemoryPressure", "False")).endStatus(),
            "not Ready"),
        Arguments.of(
            "no conditions at all",
            (UnaryOperator<NodeBuilder>) b -> b.editStatus().withConditions(List.of()).endStatus(),
            "not Ready"),
        Arguments.of(
            "nvidia.com/gpu without the gpu.memory label",
            (UnaryOperator<NodeBuilder>)
                b -> b.editMetadata().removeFromLabels("nvidia.com/gpu.memory").endMetadata(),
            "nvidia.com/gpu without the nvidia.com/gpu.memory label"),
        Arguments.of(
            "a gpu.memory label that is no number",
            (UnaryOperator<NodeBuilder>)
                b -> b.editMetadata().addToLabels("nvidia.com/gpu.memory", "40GB").endMetadata(),
            "nvidia.com/gpu without the nvidia.com/gpu.memory label"));
  }

  private static NodeCondition condition(String type, String status) {
    return new NodeConditionBuilder().withType(type).withStatus(status).build();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("excluded")
  void aNodeTheSchedulerMustNotUseIsExcludedWithTheReason(
      String name, UnaryOperator<NodeBuilder> change, String reason) {
    Node node = change.apply(new NodeBuilder(KubernetesApiServer.toNode(GPU_NODE))).build();

    NodeMapper.Result r = NodeMapper.map(node);

    assertThat(r.name()).isEqualTo("gpu-1");
    assertThat(r.info()).isEmpty();
    assertThat(r.excludedBecause()).isEqualTo(reason);
  }

  @Test
  void preferNoScheduleAndASchedulableSpecDoNotExclude() {
    Node node =
        new NodeBuilder(KubernetesApiServer.toNode(GPU_NODE))
            .editSpec()
            .withUnschedulable(false)
            .withTaints(
                new TaintBuilder()
                    .withKey("example.org/soft")
                    .withValue("x")
                    .withEffect("PreferNoSchedule")
                    .build())
            .endSpec()
            .editStatus()
            .withConditions(condition("MemoryPressure", "False"), condition("Ready", "True"))
            .endStatus()
            .build();

    assertThat(mapped(node).gpus()).hasSize(4);
  }

  @Test
  void withoutTheUuidAnnotationACardIsNamedByNodeAndIndex() {
    Node node =
        new NodeBuilder(KubernetesApiServer.toNode(GPU_NODE))
            .editMetadata()
            .removeFromAnnotations("cotenant.dev/gpu-uuids")
            .endMetadata()
            .build();

    assertThat(mapped(node).gpus())
        .extracting(GpuInfo::uuid)
        .containsExactly("gpu-1/0", "gpu-1/1", "gpu-1/2", "gpu-1/3");
  }

  @Test
  void aShortOrBlankUuidListFallsBackPerIndexAndIsTrimmed() {
    Node node =
        new NodeBuilder(KubernetesApiServer.toNode(GPU_NODE))
            .editMetadata()
            .addToAnnotations("cotenant.dev/gpu-uuids", "GPU-a, GPU-b ,,")
            .endMetadata()
            .build();

    assertThat(mapped(node).gpus())
        .extracting(GpuInfo::uuid)
        .containsExactly("GPU-a", "GPU-b", "gpu-1/2", "gpu-1/3");
  }
}
