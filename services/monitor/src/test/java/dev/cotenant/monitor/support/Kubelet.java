package dev.cotenant.monitor.support;

import dev.cotenant.sim.cluster.NodeSpec;
import dev.cotenant.testsupport.KubernetesApiServer;
import dev.cotenant.testsupport.TestStack;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the tests do as scheduler and kubelet: bind pods, run them, end them, lose nodes. */
public final class Kubelet {
  private Kubelet() {}

  public static KubernetesClient kube() {
    return TestStack.get().kubernetes().client();
  }

  public static NodeSpec gpuNode(String name) {
    NodeSpec spec = new NodeSpec(name, 16_000, 65_536, 4, "Tesla-P100", 16_000);
    if (kube().nodes().withName(name).get() == null) {
      kube().nodes().resource(KubernetesApiServer.toNode(spec)).create();
    }
    return spec;
  }

  /**
   * A pod placed and bound on card {@code gpu} of {@code node}; a foreign one if {@code job} null.
   */
  public static Pod bound(
      String namespace, String name, String job, String app, NodeSpec node, int gpu) {
    Map<String, String> labels = new LinkedHashMap<>();
    Map<String, String> annotations = new LinkedHashMap<>();
    if (job != null) {
      labels.put("cotenant.dev/job-id", job);
      labels.put("cotenant.dev/tenant", namespace);
      labels.put("cotenant.dev/app", app);
      annotations.put("cotenant.dev/app", app);
    } else {
      labels.put("app", app);
    }
    annotations.put("cotenant.dev/gpu-index", String.valueOf(gpu));
    annotations.put("cotenant.dev/gpu-uuid", KubernetesApiServer.gpuUuids(node).get(gpu));
    annotations.put("cotenant.dev/gpu-milli", "500");
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .withLabels(labels)
            .withAnnotations(annotations)
            .endMetadata()
            .withNewSpec()
            .withSchedulerName("cotenant")
            .withNodeName(node.name())
            .addNewContainer()
            .withName("main")
            .withImage("ghcr.io/acme/" + app + ":1")
            .endContainer()
            .endSpec()
            .withNewStatus()
            .withPhase("Pending")
            .endStatus()
            .build();
    return kube().pods().inNamespace(namespace).resource(pod).create();
  }

  public static void running(Pod pod, Instant since) {
    edit(
        pod,
        p -> {
          p.getStatus().setPhase("Running");
          p.getStatus().setStartTime(since.toString());
          p.getStatus()
              .setContainerStatuses(
                  List.of(
                      new ContainerStatusBuilder()
                          .withName("main")
                          .withReady(true)
                          .withState(
                              new ContainerStateBuilder()
                                  .withNewRunning()
                                  .withStartedAt(since.toString())
                                  .endRunning()
                                  .build())
                          .build()));
        });
  }

  public static void terminated(
      Pod pod, String phase, int exit, String reason, Instant from, Instant to) {
    edit(
        pod,
        p -> {
          p.getStatus().setPhase(phase);
          p.getStatus()
              .setContainerStatuses(
                  List.of(
                      new ContainerStatusBuilder()
                          .withName("main")
                          .withState(
                              new ContainerStateBuilder()
                                  .withNewTerminated()
                                  .withExitCode(exit)
                                  .withReason(reason)
                                  .withStartedAt(from.toString())
                                  .withFinishedAt(to.toString())
                                  .endTerminated()
                                  .build())
                          .build()));
        });
  }

  /** Failed as pods of a dead node are: no container says how it ended. */
  public static void failedWithNode(Pod pod, String reason) {
    edit(
        pod,
        p -> {
          p.getStatus().setPhase("Failed");
          p.getStatus().setReason(reason);
        });
  }

  public static void nodeReady(String node, boolean ready) {
    kube()
        .nodes()
        .withName(node)
        .editStatus(
            n -> {
              NodeCondition c =
                  new NodeConditionBuilder()
                      .withType("Ready")
                      .withStatus(ready ? "True" : "Unknown")
                      .withReason(ready ? "KubeletReady" : "NodeStatusUnknown")
                      .build();
              n.getStatus().setConditions(List.of(c));
              return n;
            });
  }

  private static void edit(Pod pod, java.util.function.Consumer<Pod> change) {
    kube()
        .pods()
        .inNamespace(pod.getMetadata().getNamespace())
        .withName(pod.getMetadata().getName())
        .editStatus(
            p -> {
              change.accept(p);
              return p;
            });
  }
}
