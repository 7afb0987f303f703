package dev.cotenant.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class KubeconfigTest {

  @Test
  void fabric8ReadsTheKubeconfigAndReachesTheServerThroughIt() throws Exception {
    try (KubernetesApiServer server = KubernetesApiServer.startEphemeral()) {
      server.addNodes(dev.cotenant.sim.cluster.ClusterCsv.defaultCluster());
      Path file =
          Kubeconfig.write(
              Files.createTempDirectory("kubeconfig").resolve("sub/kubeconfig"), server.url());

      Config config = Config.fromKubeconfig(Files.readString(file));
      assertThat(config.getMasterUrl()).startsWith(server.url());
      assertThat(config.getCurrentContext().getName()).isEqualTo("cotenant");
      assertThat(config.getNamespace()).isEqualTo("default");
      try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
        assertThat(client.nodes().list().getItems()).hasSize(2);
      }
      // Rewritten whole, never appended to.
      Kubeconfig.write(file, "http://127.0.0.1:1");
      assertThat(Files.readString(file)).isEqualTo(Kubeconfig.text("http://127.0.0.1:1"));
    }
  }
}
