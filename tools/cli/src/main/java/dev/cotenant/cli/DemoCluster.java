package dev.cotenant.cli;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The demo's view of the embedded cluster through the Kubernetes API, as {@code kubectl} has it:
 * which nodes it serves, the kubelets' speed, and cordons.
 *
 * <p>Why cordons: the default cluster holds both seeds' machines, and the job contract has no node
 * selector. A cordoned node is one placement leaves out (as kube-scheduler does), so the demo
 * cordons the machine an experiment does not use, and it holds a batch by cordoning every node
 * while it submits, so that placement meets the whole batch at once, as the seed's containers were
 * started together. Each cordon it makes is marked with an annotation, so one a killed demo left
 * behind is lifted by the next.
 */
final class DemoCluster implements AutoCloseable {
  static final String CORDONED_BY = "demo.cotenant.dev/cordoned";
  static final String SPEED = "sim.cotenant.dev/speed";
  static final String GPU_COUNT = "nvidia.com/gpu";

  private final KubernetesClient client;

  DemoCluster(String url) {
    client =
        new KubernetesClientBuilder()
            .withConfig(new ConfigBuilder().withMasterUrl(url).withAutoConfigure(false).build())
            .build();
  }

  /** A node as the demo needs it: cores, cards, and the speed its kubelet runs at. */
  record NodeView(String name, long cpuMilli, int gpus, Optional<Double> speed) {}

  List<NodeView> nodes() {
    List<NodeView> views = new ArrayList<>();
    for (Node n : client.nodes().list().getItems()) {
      var capacity = n.getStatus() == null ? null : n.getStatus().getCapacity();
      long cpu = capacity == null ? 0 : (long) (amount(capacity.get("cpu")) * 1000);
      int gpus = capacity == null ? 0 : (int) amount(capacity.get(GPU_COUNT));
      Map<String, String> annotations = n.getMetadata().getAnnotations();
      Optional<Double> speed =
          Optional.ofNullable(annotations == null ? null : annotations.get(SPEED))
              .flatMap(DemoCluster::number);
      views.add(new NodeView(n.getMetadata().getName(), cpu, gpus, speed));
    }
    return views;
  }

  private static double amount(io.fabric8.kubernetes.api.model.Quantity q) {
    return q == null ? 0 : q.getNumericalAmount().doubleValue();
  }

  private static Optional<Double> number(String s) {
    try {
      double x = Double.parseDouble(s.trim());
      return x > 0 && Double.isFinite(x) ? Optional.of(x) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Marks the nodes unschedulable (kubectl cordon), remembering that the demo did it. */
  void cordon(List<String> names) {
    names.forEach(name -> mark(name, true));
  }

  /** Lifts the cordons the demo made on these nodes; one a user made stays. */
  void uncordon(List<String> names) {
    names.forEach(name -> mark(name, false));
  }

  private void mark(String name, boolean cordon) {
    client
        .nodes()
        .withName(name)
        .edit(
            n -> {
              Map<String, String> a = annotations(n);
              if (cordon) {
                a.put(CORDONED_BY, "true");
                n.getSpec().setUnschedulable(true);
              } else if (a.remove(CORDONED_BY) != null) {
                n.getSpec().setUnschedulable(false);
              }
              n.getMetadata().setAnnotations(a);
              return n;
            });
  }

  /** Every cordon a demo made, including one a killed demo left. */
  void uncordonAll() {
    try {
      uncordon(nodes().stream().map(NodeView::name).toList());
    } catch (KubernetesClientException e) {
      // the API went away: nothing left to lift
    }
  }

  private static Map<String, String> annotations(Node n) {
    Map<String, String> a = n.getMetadata().getAnnotations();
    return a == null ? new HashMap<>() : new HashMap<>(a);
  }

  @Override
  public void close() {
    client.close();
  }
}
