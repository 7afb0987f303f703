package dev.cotenant.monitor.kubernetes;

import dev.cotenant.monitor.config.MonitorConfig;
import dev.cotenant.monitor.telemetry.ScrapeTarget;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds dcgm-exporters the way NVIDIA's GPU Operator deploys them: a DaemonSet whose pods carry
 * {@code app=nvidia-dcgm-exporter}, behind a Service {@code nvidia-dcgm-exporter} with port {@code
 * gpu-metrics} (9400). Each Endpoints address names its pod's node, so a sample is attributed to
 * the node the exporter runs on, whatever its hostname label says (the pod's name, before
 * dcgm-exporter read NODE_NAME). The Service's EndpointSlices are read as well (an Endpoints object
 * keeps at most 1,000 addresses), and pods, for exporters without a Service.
 */
public final class ExporterDiscovery {
  /** The label the EndpointSlice controller puts on a Service's slices. */
  static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

  private final KubernetesClient client;
  private final MonitorConfig.Discovery config;

  public ExporterDiscovery(KubernetesClient client, MonitorConfig.Discovery config) {
    this.client = client;
    this.config = config;
  }

  /**
   * The exporters now, by URL. Each source is asked on its own, so that one the service account may
   * not read (a 403 on endpointslices) leaves the others' answers; it fails only when all do.
   */
  public List<ScrapeTarget> find() {
    Map<String, ScrapeTarget> found = new LinkedHashMap<>();
    RuntimeException failure = null;
    int failed = 0;
    List<java.util.function.Consumer<Map<String, ScrapeTarget>>> sources =
        List.of(this::fromEndpoints, this::fromSlices, this::fromPods);
    for (var source : sources) {
      try {
        source.accept(found);
      } catch (RuntimeException ex) {
        failed++;
        if (failure == null) {
          failure = ex;
        } else {
          failure.addSuppressed(ex);
        }
      }
    }
    if (failed == sources.size()) {
      throw failure;
    }
    return List.copyOf(found.values());
  }

  private void fromEndpoints(Map<String, ScrapeTarget> found) {
    List<Endpoints> endpoints =
        config.namespace().isPresent()
            ? optional(
                client
                    .endpoints()
                    .inNamespace(config.namespace().get())
                    .withName(config.service())
                    .get())
            : client.endpoints().inAnyNamespace().list().getItems().stream()
                .filter(e -> config.service().equals(e.getMetadata().getName()))
                .toList();
    for (Endpoints e : endpoints) {
      if (e == null || e.getSubsets() == null) {
        continue;
      }
      for (EndpointSubset subset : e.getSubsets()) {
        Optional<Integer> port = port(subset.getPorts());
        if (port.isEmpty()) {
          continue;
        }
        // Not-ready addresses too (an exporter on a node that went NotReady): scraped, they fail
        // and their target shows STALE rather than vanishing.
        for (List<EndpointAddress> list :
            List.of(orEmpty(subset.getAddresses()), orEmpty(subset.getNotReadyAddresses()))) {
          for (EndpointAddress a : list) {
            add(found, a.getIp(), port.get(), a.getNodeName());
          }
        }
      }
    }
  }

  private void fromSlices(Map<String, ScrapeTarget> found) {
    // EndpointSlices: what lists exporters past the 1,000 addresses an Endpoints object keeps.
    List<EndpointSlice> slices =
        config.namespace().isPresent()
            ? client
                .discovery()
                .v1()
                .endpointSlices()
                .inNamespace(config.namespace().get())
                .withLabel(SERVICE_NAME_LABEL, config.service())
                .list()
                .getItems()
            : client
                .discovery()
                .v1()
                .endpointSlices()
                .inAnyNamespace()
                .withLabel(SERVICE_NAME_LABEL, config.service())
                .list()
                .getItems();
    for (EndpointSlice slice : slices) {
      Optional<Integer> port = slicePort(slice.getPorts());
      if (port.isEmpty() || slice.getEndpoints() == null) {
        continue;
      }
      for (Endpoint endpoint : slice.getEndpoints()) {
        for (String ip : orEmpty(endpoint.getAddresses())) {
          add(found, ip, port.get(), endpoint.getNodeName());
        }
      }
    }
  }

  private void fromPods(Map<String, ScrapeTarget> found) {
    Map<String, String> selector = selector(config.podSelector());
    List<Pod> pods =
        config.namespace().isPresent()
            ? client
                .pods()
                .inNamespace(config.namespace().get())
                .withLabels(selector)
                .list()
                .getItems()
            : client.pods().inAnyNamespace().withLabels(selector).list().getItems();
    for (Pod pod : pods) {
      if (pod.getStatus() == null
          || pod.getStatus().getPodIP() == null
          || !"Running".equals(pod.getStatus().getPhase())) {
        continue;
      }
      add(
          found,
          pod.getStatus().getPodIP(),
          containerPort(pod),
          pod.getSpec() == null ? null : pod.getSpec().getNodeName());
    }
  }

  private void add(Map<String, ScrapeTarget> found, String ip, int port, String node) {
    if (ip == null || ip.isBlank()) {
      return;
    }
    String host = ip.contains(":") ? "[" + ip + "]" : ip;
    String url = "http://" + host + ":" + port + config.path();
    found.putIfAbsent(
        url, new ScrapeTarget(url, Optional.ofNullable(node).filter(n -> !n.isBlank())));
  }

  private Optional<Integer> port(List<EndpointPort> ports) {
    if (ports == null || ports.isEmpty()) {
      return Optional.empty();
    }
    for (EndpointPort p : ports) {
      if (config.portName().equals(p.getName())) {
        return Optional.of(p.getPort());
      }
    }
    return Optional.ofNullable(ports.get(0).getPort());
  }

  private Optional<Integer> slicePort(
      List<io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort> ports) {
    if (ports == null || ports.isEmpty()) {
      return Optional.empty();
    }
    for (var p : ports) {
      if (config.portName().equals(p.getName())) {
        return Optional.ofNullable(p.getPort());
      }
    }
    return Optional.ofNullable(ports.get(0).getPort());
  }

  private static <T> List<T> orEmpty(List<T> l) {
    return l == null ? List.of() : l;
  }

  private int containerPort(Pod pod) {
    List<Container> containers =
        pod.getSpec() == null || pod.getSpec().getContainers() == null
            ? List.of()
            : pod.getSpec().getContainers();
    for (Container c : containers) {
      for (ContainerPort p : c.getPorts() == null ? List.<ContainerPort>of() : c.getPorts()) {
        if (config.portName().equals(p.getName()) || "metrics".equals(p.getName())) {
          return p.getContainerPort();
        }
      }
    }
    return config.defaultPort();
  }

  /** {@code a=b,c=d} as a map. */
  public static Map<String, String> selector(String s) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String part : s.split(",")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        out.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
      }
    }
    return out;
  }

  private static <T> List<T> optional(T t) {
    List<T> out = new ArrayList<>();
    if (t != null) {
      out.add(t);
    }
    return out;
  }
}
