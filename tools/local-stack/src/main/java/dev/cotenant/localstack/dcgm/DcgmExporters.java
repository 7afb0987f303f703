package dev.cotenant.localstack.dcgm;

import dev.cotenant.localstack.kubelet.GroundTruth;
import dev.cotenant.localstack.kubelet.NodeKubelet;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.EndpointSubsetBuilder;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Each GPU node's dcgm-exporter: Prometheus text on {@code http://<node address>:<port>/metrics},
 * derived from what runs on its cards, and found as the GPU Operator's are: the Service {@code
 * nvidia-dcgm-exporter} in {@code gpu-operator}, with an Endpoints object (and EndpointSlices)
 * listing one address per node, its {@code nodeName} set. Every node has its own loopback address
 * ({@code 127.100.x.y}, all of 127/8 is loopback on Linux) and the same port, as real exporters
 * share port 9400 on their own pod addresses; where the system has no such addresses, all listen on
 * 127.0.0.1 with a port each, and the Endpoints say which. One Vert.x event loop serves them all.
 * The exporter of a node that is down drops every connection, as an unreachable host would.
 */
public final class DcgmExporters implements AutoCloseable {
  public static final String NAMESPACE = "gpu-operator";
  public static final String SERVICE = "nvidia-dcgm-exporter";
  public static final String PORT_NAME = "gpu-metrics";

  /** The endpoints controller keeps at most this many addresses in an Endpoints object. */
  static final int ENDPOINTS_CAPACITY = 1000;

  static final int SLICE_CAPACITY = 100;

  private final KubernetesClient client;
  private final GroundTruth truth;
  private final Map<NodeKubelet, InetSocketAddress> addresses;
  private final Vertx vertx;
  private final List<HttpServer> servers = new ArrayList<>();

  private DcgmExporters(
      KubernetesClient client, GroundTruth truth, Map<NodeKubelet, InetSocketAddress> addresses) {
    this.client = client;
    this.truth = truth;
    this.addresses = addresses;
    this.vertx =
        Vertx.vertx(
            new VertxOptions()
                .setEventLoopPoolSize(1)
                .setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1));
  }

  /**
   * Where node {@code index} of {@code count} listens: its own loopback address when {@code
   * aliases}, else 127.0.0.1 and {@code port + index}.
   */
  public static InetSocketAddress address(int index, int port, boolean aliases) {
    if (!aliases) {
      return new InetSocketAddress("127.0.0.1", port + index);
    }
    int block = index / 64_000;
    int rest = index % 64_000;
    return new InetSocketAddress(
        "127." + (100 + block) + "." + (rest / 250) + "." + (1 + rest % 250), port);
  }

  /** Whether this system answers on loopback addresses other than 127.0.0.1 (Linux does). */
  public static boolean loopbackAliases() {
    try (ServerSocket probe = new ServerSocket()) {
      // Any free port: whether the address exists is the question, not whether the port is free.
      probe.bind(new InetSocketAddress(InetAddress.getByName("127.100.0.1"), 0));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Starts the exporters of every GPU node and publishes the Service and its Endpoints. */
  public static DcgmExporters start(
      KubernetesClient client,
      GroundTruth truth,
      List<NodeKubelet> nodes,
      Map<String, InetSocketAddress> byNode)
      throws Exception {
    Map<NodeKubelet, InetSocketAddress> addresses = new LinkedHashMap<>();
    for (NodeKubelet node : nodes) {
      if (node.spec().hasGpus()) {
        addresses.put(node, byNode.get(node.spec().name()));
      }
    }
    DcgmExporters exporters = new DcgmExporters(client, truth, addresses);
    try {
      exporters.listen();
      exporters.publish();
    } catch (Exception e) {
      exporters.close();
      throw e;
    }
    return exporters;
  }

  private void listen() throws Exception {
    for (Map.Entry<NodeKubelet, InetSocketAddress> e : addresses.entrySet()) {
      NodeKubelet node = e.getKey();
      HttpServer server =
          vertx.createHttpServer(
              new HttpServerOptions()
                  .setHost(e.getValue().getHostString())
                  .setPort(e.getValue().getPort()));
      server.requestHandler(
          request -> {
            if (!node.ready()) {
              request.connection().close();
            } else if (!"/metrics".equals(request.path())) {
              request.response().setStatusCode(404).end("404 page not found\n");
            } else {
              request
                  .response()
                  .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                  .end(page(node));
            }
          });
      server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      servers.add(server);
    }
  }

  /** The exporter page of a node now. */
  public String page(NodeKubelet node) {
    List<NodeKubelet.GpuCard> cards = node.cards();
    List<GpuTelemetry> telemetry = new ArrayList<>(cards.size());
    for (NodeKubelet.GpuCard card : cards) {
      telemetry.add(GpuTelemetry.of(card, node.spec().gpuModel(), truth::profile));
    }
    return DcgmText.render(node.spec().name(), node.spec().gpuModel(), cards, telemetry);
  }

  /** Where a node's exporter listens, if it has one. */
  public InetSocketAddress address(NodeKubelet node) {
    return addresses.get(node);
  }

  private void publish() {
    if (client.namespaces().withName(NAMESPACE).get() == null) {
      client
          .namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
          .create();
    }
    int port = addresses.values().stream().findFirst().map(InetSocketAddress::getPort).orElse(9400);
    client
        .services()
        .inNamespace(NAMESPACE)
        .resource(
            new ServiceBuilder()
                .withNewMetadata()
                .withName(SERVICE)
                .withNamespace(NAMESPACE)
                .addToLabels("app", SERVICE)
                .addToAnnotations("prometheus.io/scrape", "true")
                .endMetadata()
                .withNewSpec()
                .withType("ClusterIP")
                .withClusterIP("None")
                .addToSelector("app", SERVICE)
                .addNewPort()
                .withName(PORT_NAME)
                .withPort(port)
                .withNewTargetPort(port)
                .withProtocol("TCP")
                .endPort()
                .endSpec()
                .build())
        .createOr(op -> op.update());
    refresh();
  }

  /** Rewrites the Endpoints and EndpointSlices: a node that is down is listed as not ready. */
  public synchronized void refresh() {
    client.endpoints().inNamespace(NAMESPACE).resource(endpoints()).createOr(op -> op.update());
    for (EndpointSlice slice : slices()) {
      client
          .discovery()
          .v1()
          .endpointSlices()
          .inNamespace(NAMESPACE)
          .resource(slice)
          .createOr(op -> op.update());
    }
  }

  /** As the endpoints controller writes it: addresses grouped by port, at most 1,000. */
  Endpoints endpoints() {
    Map<Integer, EndpointSubsetBuilder> byPort = new LinkedHashMap<>();
    int listed = 0;
    for (Map.Entry<NodeKubelet, InetSocketAddress> e : addresses.entrySet()) {
      if (listed++ >= ENDPOINTS_CAPACITY) {
        break;
      }
      int port = e.getValue().getPort();
      EndpointSubsetBuilder subset =
          byPort.computeIfAbsent(
              port,
              p ->
                  new EndpointSubsetBuilder()
                      .withPorts(
                          new EndpointPortBuilder()
                              .withName(PORT_NAME)
                              .withPort(p)
                              .withProtocol("TCP")
                              .build()));
      EndpointAddress address =
          new EndpointAddressBuilder()
              .withIp(e.getValue().getHostString())
              .withNodeName(e.getKey().spec().name())
              .build();
      if (e.getKey().ready()) {
        subset.addToAddresses(address);
      } else {
        subset.addToNotReadyAddresses(address);
      }
    }
    List<EndpointSubset> subsets =
        byPort.values().stream().map(EndpointSubsetBuilder::build).toList();
    EndpointsBuilder endpoints =
        new EndpointsBuilder()
            .withNewMetadata()
            .withName(SERVICE)
            .withNamespace(NAMESPACE)
            .addToLabels("app", SERVICE)
            .endMetadata()
            .withSubsets(subsets);
    if (addresses.size() > ENDPOINTS_CAPACITY) {
      endpoints
          .editMetadata()
          .addToAnnotations("endpoints.kubernetes.io/over-capacity", "truncated")
          .endMetadata();
    }
    return endpoints.build();
  }

  /** EndpointSlices of at most 100 endpoints, one port each. */
  List<EndpointSlice> slices() {
    Map<Integer, List<Map.Entry<NodeKubelet, InetSocketAddress>>> byPort = new LinkedHashMap<>();
    addresses
        .entrySet()
        .forEach(
            e -> byPort.computeIfAbsent(e.getValue().getPort(), p -> new ArrayList<>()).add(e));
    List<EndpointSlice> slices = new ArrayList<>();
    for (var group : byPort.entrySet()) {
      List<Map.Entry<NodeKubelet, InetSocketAddress>> all = group.getValue();
      for (int from = 0; from < all.size(); from += SLICE_CAPACITY) {
        EndpointSliceBuilder slice =
            new EndpointSliceBuilder()
                .withNewMetadata()
                .withName(SERVICE + "-" + slices.size())
                .withNamespace(NAMESPACE)
                .addToLabels("kubernetes.io/service-name", SERVICE)
                .addToLabels(
                    "endpointslice.kubernetes.io/managed-by", "endpointslice-controller.k8s.io")
                .endMetadata()
                .withAddressType("IPv4")
                .addNewPort()
                .withName(PORT_NAME)
                .withPort(group.getKey())
                .withProtocol("TCP")
                .endPort();
        for (var e : all.subList(from, Math.min(all.size(), from + SLICE_CAPACITY))) {
          boolean ready = e.getKey().ready();
          slice
              .addNewEndpoint()
              .withAddresses(e.getValue().getHostString())
              .withNodeName(e.getKey().spec().name())
              .withNewConditions()
              .withReady(ready)
              .withServing(ready)
              .withTerminating(false)
              .endConditions()
              .endEndpoint();
        }
        slices.add(slice.build());
      }
    }
    return slices;
  }

  @Override
  public void close() {
    vertx
        .close()
        .toCompletionStage()
        .toCompletableFuture()
        .orTimeout(10, TimeUnit.SECONDS)
        .exceptionally(e -> null)
        .join();
  }
}
