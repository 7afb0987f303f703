package dev.cotenant.bench;

import dev.cotenant.sim.cluster.NodeSpec;
import dev.cotenant.testsupport.KubernetesApiServer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The embedded Kubernetes API under the writes a pod costs it in the local run: create, bind, three
 * status writes (Pending, Running, Succeeded, as the simulated kubelets patch them) and the delete,
 * while {@code watchers} watches on every pod stand for placement's and the monitor's informers and
 * the kubelets' watch. Reports pods/s and the CPU each pod costs the process and its busiest
 * threads (the API serves every request on one event loop): CPU per pod, unlike wall time, is
 * comparable between runs on a machine that is not idle.
 */
final class KubeApiBenchmark {
  private KubeApiBenchmark() {}

  record Result(int pods, double seconds, double processCpuMsPerPod, List<String> busiest) {
    double podsPerSecond() {
      return pods / seconds;
    }
  }

  static Result run(int nodes, int watchers, int warmupPods, int pods, int concurrency)
      throws Exception {
    try (KubernetesApiServer api = KubernetesApiServer.startEphemeral()) {
      List<NodeSpec> specs = new ArrayList<>();
      for (int i = 0; i < nodes; i++) {
        specs.add(new NodeSpec("bench-" + i, 64_000, 262_144, 8, "A100", 40_960));
      }
      api.addNodes(specs);
      KubernetesClient client = api.client();
      AtomicLong events = new AtomicLong();
      List<Watch> watches = new ArrayList<>();
      for (int i = 0; i < watchers; i++) {
        watches.add(
            client
                .pods()
                .inAnyNamespace()
                .watch(
                    new Watcher<Pod>() {
                      @Override
                      public void eventReceived(Action action, Pod pod) {
                        events.incrementAndGet();
                      }

                      @Override
                      public void onClose(WatcherException cause) {}
                    }));
      }
      HttpClient http = HttpClient.newHttpClient();
      ExecutorService pool = Executors.newFixedThreadPool(concurrency);
      try {
        lifecycles(api, client, http, pool, "warm", warmupPods, nodes);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<Long, Long> before = threadCpu(threads);
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        lifecycles(api, client, http, pool, "run", pods, nodes);
        double seconds = (System.nanoTime() - t0) / 1e9;
        long cpu = processCpuNanos() - cpu0;
        Map<Long, Long> after = threadCpu(threads);
        List<String> busiest =
            after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                .sorted(Map.Entry.<Long, Long>comparingByValue(Comparator.reverseOrder()))
                .limit(3)
                .map(
                    e -> {
                      var info = threads.getThreadInfo(e.getKey());
                      String name = info == null ? "thread " + e.getKey() : info.getThreadName();
                      return String.format("%s %.3f ms/pod", name, e.getValue() / 1e6 / pods);
                    })
                .toList();
        return new Result(pods, seconds, cpu / 1e6 / pods, busiest);
      } finally {
        pool.shutdownNow();
        watches.forEach(Watch::close);
      }
    }
  }

  private static void lifecycles(
      KubernetesApiServer api,
      KubernetesClient client,
      HttpClient http,
      ExecutorService pool,
      String prefix,
      int pods,
      int nodes)
      throws Exception {
    List<Future<?>> work = new ArrayList<>();
    for (int i = 0; i < pods; i++) {
      String name = prefix + "-" + i;
      String node = "bench-" + (i % nodes);
      work.add(pool.submit(() -> lifecycle(api, client, http, name, node)));
    }
    for (Future<?> f : work) {
      f.get();
    }
  }

  private static Void lifecycle(
      KubernetesApiServer api, KubernetesClient client, HttpClient http, String name, String node)
      throws Exception {
    var pods = client.pods().inNamespace("bench");
    pods.resource(pod(name)).create();
    HttpResponse<String> bound =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(api.url() + "/api/v1/namespaces/bench/pods/" + name + "/binding"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"apiVersion\":\"v1\",\"kind\":\"Binding\",\"metadata\":{\"name\":\""
                            + name
                            + "\"},\"target\":{\"kind\":\"Node\",\"name\":\""
                            + node
                            + "\"}}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (bound.statusCode() != 201) {
      throw new IllegalStateException("binding answered " + bound.statusCode());
    }
    for (String phase : List.of("Pending", "Running", "Succeeded")) {
      pods.withName(name)
          .subresource("status")
          .patch(
              PatchContext.of(PatchType.JSON),
              "[{\"op\":\"add\",\"path\":\"/status\",\"value\":{\"phase\":\""
                  + phase
                  + "\",\"hostIP\":\"10.0.0.1\",\"podIP\":\"10.1.0.1\"}}]");
    }
    pods.withName(name).delete();
    return null;
  }

  private static Pod pod(String name) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("bench")
        .addToLabels("cotenant.dev/app", "bench")
        .addToAnnotations("cotenant.dev/gpu-index", "0")
        .endMetadata()
        .withNewSpec()
        .withSchedulerName("cotenant")
        .withRestartPolicy("Never")
        .addNewContainer()
        .withName("main")
        .withImage("ghcr.io/acme/bench:1")
        .withNewResources()
        .addToRequests("cpu", new Quantity("100m"))
        .endResources()
        .endContainer()
        .endSpec()
        .build();
  }

  private static Map<Long, Long> threadCpu(ThreadMXBean threads) {
    Map<Long, Long> cpu = new HashMap<>();
    for (long id : threads.getAllThreadIds()) {
      long t = threads.getThreadCpuTime(id);
      if (t >= 0) {
        cpu.put(id, t);
      }
    }
    return cpu;
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
