package dev.cotenant.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cotenant.sim.cluster.ClusterCsv;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.api.Test;

class GpuNodesTest {

  @Test
  void defaultClusterBecomesNodesLabelledLikeARealGpuCluster() {
    try (KubernetesApiServer server = KubernetesApiServer.startEphemeral()) {
      server.addNodes(ClusterCsv.defaultCluster());

      Node gpu = server.client().nodes().withName("seed001-gpu").get();
      assertThat(gpu.getStatus().getCapacity().get("nvidia.com/gpu")).isEqualTo(new Quantity("4"));
      assertThat(
              Quantity.getAmountInBytes(gpu.getStatus().getAllocatable().get("memory")).longValue())
          .isEqualTo(32768L * 1024 * 1024);
      assertThat(gpu.getStatus().getCapacity().get("cpu")).isEqualTo(new Quantity("6000m"));
      assertThat(gpu.getMetadata().getLabels())
          .containsEntry("nvidia.com/gpu.product", "TITAN-Xp")
          .containsEntry("nvidia.com/gpu.memory", "12288")
          .containsEntry("nvidia.com/gpu.count", "4");
      assertThat(
              gpu.getMetadata()
                  .getAnnotations()
                  .get(KubernetesApiServer.GPU_UUIDS_ANNOTATION)
                  .split(","))
          .hasSize(4)
          .doesNotHaveDuplicates()
          .allMatch(uuid -> uuid.startsWith("GPU-"));

      Node cpu = server.client().nodes().withName("seed000-worker").get();
      assertThat(cpu.getStatus().getCapacity()).doesNotContainKey("nvidia.com/gpu");
      assertThat(cpu.getMetadata().getLabels()).doesNotContainKey("nvidia.com/gpu.product");
      assertThat(server.client().nodes().list().getItems()).hasSize(2);
    }
  }
}
