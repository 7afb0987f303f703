package dev.cotenant.localstack.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cotenant.testsupport.KubernetesApiServer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The pod garbage collector against the embedded API, through a real fabric8 client. */
class PodGarbageCollectorTest {
  private KubernetesApiServer api;
  private KubernetesClient client;

  @BeforeEach
  void start() {
    api = KubernetesApiServer.startEphemeral();
    client = api.client();
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void deletesTheOldestTerminatedPodsBeyondTheThresholdAndNothingThatRuns()
      throws InterruptedException {
    // The server stamps creation times (to the second), so the two generations are a second apart.
    pod("running", "Running"); // older than all, but it runs
    pod("pending", "Pending");
    pod("old-succeeded", "Succeeded");
    pod("old-failed", "Failed");
    Thread.sleep(1_100);
    pod("new-succeeded", "Succeeded");
    pod("newest-failed", "Failed");

    try (PodGarbageCollector gc = new PodGarbageCollector(client, 2, Duration.ofHours(1))) {
      // Its cache holds the terminated pods only, selected by the server.
      await().atMost(Duration.ofSeconds(10)).until(() -> gc.cached() == 4);
      gc.collect();
      assertThat(gc.deleted()).isEqualTo(2);
    }
    assertThat(client.pods().inNamespace("t").list().getItems())
        .extracting(p -> p.getMetadata().getName())
        .containsExactlyInAnyOrder("running", "pending", "new-succeeded", "newest-failed");
  }

  @Test
  void atOrBelowTheThresholdNothingIsChosen() {
    List<Pod> two =
        List.of(build("a", "Succeeded", Instant.EPOCH), build("b", "Failed", Instant.EPOCH));
    assertThat(PodGarbageCollector.beyondThreshold(two, 2)).isEmpty();
    assertThat(PodGarbageCollector.beyondThreshold(two, 1))
        .extracting(p -> p.getMetadata().getName())
        .hasSize(1);
    assertThat(PodGarbageCollector.start(client, 0)).isEmpty();
  }

  private void pod(String name, String phase) {
    client.pods().inNamespace("t").resource(build(name, phase, Instant.now())).create();
  }

  private static Pod build(String name, String phase, Instant created) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("t")
        .withCreationTimestamp(created.toString())
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("c")
        .withImage("busybox")
        .endContainer()
        .endSpec()
        .withNewStatus()
        .withPhase(phase)
        .endStatus()
        .build();
  }
}
