package dev.cotenant.testsupport;

import dev.cotenant.sim.cluster.NodeSpec;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * Load figures for the embedded Kubernetes API, not a test (nothing asserts on time): with 1,000
 * nodes and N pods stored in one namespace, times rounds of what the placement service does per pod
 * - create it, GET it, bind it through {@code pods/{name}/binding} - with a fabric8 client.
 *
 * <p>Run from libs/test-support after {@code test-compile}: {@code java -cp
 * target/classes:target/test-classes:$(cat cp.txt) dev.cotenant.testsupport.KubernetesApiServerLoad
 * [rounds] [stored pods...]}, cp.txt from {@code dependency:build-classpath
 * -Dmdep.outputFile=cp.txt}. Prints, per stored-pod count, wall and JVM CPU milliseconds per round
 * (client and server share the JVM, so CPU covers both).
 */
public final class KubernetesApiServerLoad {
  private static final String NAMESPACE = "load";
  private static final int NODES = 1_000;

  private KubernetesApiServerLoad() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
    int[] stored =
        args.length > 1
            ? Arrays.stream(args).skip(1).mapToInt(Integer::parseInt).toArray()
            : new int[] {0, 2_500, 5_000};
    // JIT warm-up on a throwaway server, so the first figure is not the compiler's.
    run(2_000, 0, false);
    for (int pods : stored) {
      run(rounds, pods, true);
    }
  }

  private static void run(int rounds, int storedPods, boolean print) throws Exception {
    try (KubernetesApiServer server = KubernetesApiServer.startEphemeral()) {
      KubernetesClient client = server.client();
      List<NodeSpec> nodes =
          IntStream.range(0, NODES)
              .mapToObj(i -> new NodeSpec("node-" + i, 16_000, 65_536, 4, "Tesla-P100", 16_000))
              .toList();
      server.addNodes(nodes);
      for (int i = 0; i < storedPods; i++) {
        client.pods().inNamespace(NAMESPACE).resource(pod("stored-" + i)).create();
      }
      HttpClient http = client.getHttpClient();
      String base = server.url() + "/api/v1/namespaces/" + NAMESPACE + "/pods/";
      List<Long> nanos = new ArrayList<>(rounds);
      long cpuBefore = cpuNanos();
      long wallBefore = System.nanoTime();
      for (int i = 0; i < rounds; i++) {
        long start = System.nanoTime();
        String name = "round-" + i;
        client.pods().inNamespace(NAMESPACE).resource(pod(name)).create();
        if (client.pods().inNamespace(NAMESPACE).withName(name).get() == null) {
          throw new IllegalStateException("created pod " + name + " is not there");
        }
        String binding =
            "{\"apiVersion\":\"v1\",\"kind\":\"Binding\",\"metadata\":{\"name\":\""
                + name
                + "\"},\"target\":{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"name\":\"node-"
                + (i % NODES)
                + "\"}}";
        HttpRequest request =
            http.newHttpRequestBuilder()
                .uri(base + name + "/binding")
                .post("application/json", binding)
                .build();
        HttpResponse<String> response =
            http.sendAsync(request, String.class).get(60, TimeUnit.SECONDS);
        if (response.code() != 201) {
          throw new IllegalStateException("binding " + name + ": " + response.code());
        }
        nanos.add(System.nanoTime() - start);
      }
      double wallMs = (System.nanoTime() - wallBefore) / 1e6 / rounds;
      double cpuMs = (cpuNanos() - cpuBefore) / 1e6 / rounds;
      if (print) {
        nanos.sort(null);
        System.out.printf(
            "stored pods %5d: %.3f ms/round wall (p50 %.3f, p99 %.3f), %.3f ms/round CPU%n",
            storedPods,
            wallMs,
            nanos.get(rounds / 2) / 1e6,
            nanos.get(rounds * 99 / 100) / 1e6,
            cpuMs);
      }
    }
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static Pod pod(String name) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(NAMESPACE)
        .addToLabels("cotenant.dev/job", "load")
        .endMetadata()
        .withNewSpec()
        .withSchedulerName("cotenant")
        .addNewContainer()
        .withName("main")
        .withImage("busybox")
        .endContainer()
        .endSpec()
        .build();
  }
}
