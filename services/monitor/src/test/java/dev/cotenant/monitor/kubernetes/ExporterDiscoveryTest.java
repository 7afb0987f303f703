package dev.cotenant.monitor.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cotenant.monitor.config.MonitorConfig;
import dev.cotenant.monitor.telemetry.ScrapeTarget;
import dev.cotenant.testsupport.TestStack;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Exporters as the GPU Operator deploys them, found in the embedded API: not a @QuarkusTest, the
 * discovery only needs a client.
 */
class ExporterDiscoveryTest {
  static final String NS = "disc-gpu-operator";

  static MonitorConfig.Discovery config(Optional<String> namespace) {
    return new MonitorConfig.Discovery() {
      @Override
      public boolean enabled() {
        return true;
      }

      @Override
      public String service() {
        return "nvidia-dcgm-exporter";
      }

      @Override
      public Optional<String> namespace() {
        return namespace;
      }

      @Override
      public String portName() {
        return "gpu-metrics";
      }

      @Override
      public String podSelector() {
        return "app=nvidia-dcgm-exporter";
      }

      @Override
      public int defaultPort() {
        return 9400;
      }

      @Override
      public String path() {
        return "/metrics";
      }

      @Override
      public Duration interval() {
        return Duration.ofSeconds(30);
      }
    };
  }

  @Test
  void endpointsAndPodsOfTheExporterWithTheirNodes() {
    KubernetesClient kube = TestStack.get().kubernetes().client();
    kube.endpoints()
        .inNamespace(NS)
        .resource(
            new EndpointsBuilder()
                .withNewMetadata()
                .withName("nvidia-dcgm-exporter")
                .withNamespace(NS)
                .endMetadata()
                .addNewSubset()
                .addNewAddress()
                .withIp("10.1.0.5")
                .withNodeName("gpu-a")
                .endAddress()
                .addNewNotReadyAddress()
                .withIp("fd00::7")
                .withNodeName("gpu-b")
                .endNotReadyAddress()
                .addNewPort()
                .withName("other")
                .withPort(8080)
                .endPort()
                .addNewPort()
                .withName("gpu-metrics")
                .withPort(9400)
                .endPort()
                .endSubset()
                .build())
        .create();
    // Past an Endpoints object's 1,000 addresses only the slices list an exporter.
    kube.discovery()
        .v1()
        .endpointSlices()
        .inNamespace(NS)
        .resource(
            new EndpointSliceBuilder()
                .withNewMetadata()
                .withName("nvidia-dcgm-exporter-1")
                .withNamespace(NS)
                .addToLabels("kubernetes.io/service-name", "nvidia-dcgm-exporter")
                .endMetadata()
                .withAddressType("IPv4")
                .addNewPort()
                .withName("gpu-metrics")
                .withPort(9400)
                .endPort()
                .addNewEndpoint()
                .withAddresses("10.1.4.1")
                .withNodeName("gpu-e")
                .endEndpoint()
                .build())
        .create();
    // An exporter pod the Service does not list yet, one not running, one of another app.
    for (String[] p :
        new String[][] {
          {"exp-c", "10.1.0.9", "gpu-c", "Running", "nvidia-dcgm-exporter"},
          {"exp-d", "10.1.0.10", "gpu-d", "Pending", "nvidia-dcgm-exporter"},
          {"web", "10.1.0.11", "gpu-a", "Running", "web"}
        }) {
      kube.pods()
          .inNamespace(NS)
          .resource(
              new PodBuilder()
                  .withNewMetadata()
                  .withName(p[0])
                  .withNamespace(NS)
                  .withLabels(Map.of("app", p[4]))
                  .endMetadata()
                  .withNewSpec()
                  .withNodeName(p[2])
                  .addNewContainer()
                  .withName("exporter")
                  .withImage("nvcr.io/nvidia/k8s/dcgm-exporter:4.2.3-4.1.3-ubuntu22.04")
                  .addNewPort()
                  .withName("metrics")
                  .withContainerPort(9401)
                  .endPort()
                  .endContainer()
                  .endSpec()
                  .withNewStatus()
                  .withPhase(p[3])
                  .withPodIP(p[1])
                  .endStatus()
                  .build())
          .create();
    }

    for (Optional<String> namespace :
        java.util.List.of(Optional.of(NS), Optional.<String>empty())) {
      assertThat(new ExporterDiscovery(kube, config(namespace)).find())
          .as("namespace %s", namespace)
          .contains(
              new ScrapeTarget("http://10.1.0.5:9400/metrics", Optional.of("gpu-a")),
              new ScrapeTarget("http://[fd00::7]:9400/metrics", Optional.of("gpu-b")),
              new ScrapeTarget("http://10.1.0.9:9401/metrics", Optional.of("gpu-c")),
              new ScrapeTarget("http://10.1.4.1:9400/metrics", Optional.of("gpu-e")))
          .noneMatch(t -> t.url().contains("10.1.0.10") || t.url().contains("10.1.0.11"));
    }
  }
}
