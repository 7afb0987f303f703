package dev.cotenant.localstack;

import dev.cotenant.localstack.dcgm.DcgmExporters;
import dev.cotenant.localstack.kubelet.LagHistogram;
import dev.cotenant.testsupport.KubernetesApiServer;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load on a running local stack (not a test): pods created and bound at a fixed rate, each pinned
 * to a random card of a random GPU node as placement would, while every exporter is scraped once
 * per interval, as a monitor would. Prints bound→Running latency, ends seen, scrape results and the
 * stack's own kubelet figures. The stack's CPU and memory are read from /proc outside.
 *
 * <pre>
 * java -cp "$(cat cp.txt):target/classes:target/test-classes" dev.cotenant.localstack.SimulatedClusterLoad \
 *   [kube-url] [pods-per-second] [seconds] [solo-seconds] [scrape-interval-seconds]
 * </pre>
 */
public final class SimulatedClusterLoad {
  public static void main(String[] args) throws Exception {
    String url = args.length > 0 ? args[0] : "http://127.0.0.1:16443";
    int rate = args.length > 1 ? Integer.parseInt(args[1]) : 300;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 60;
    String solo = args.length > 3 ? args[3] : "3000";
    double scrapeEvery = args.length > 4 ? Double.parseDouble(args[4]) : 1;
    String statusUrl = args.length > 5 ? args[5] : "http://127.0.0.1:19000/kubelets";
    String ns = "load-" + System.currentTimeMillis() % 100000;

    KubernetesClient client =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder().withMasterUrl(url).withMaxConcurrentRequests(256).build())
            .build();
    List<Node> gpuNodes =
        client.nodes().list().getItems().stream()
            .filter(n -> n.getMetadata().getAnnotations() != null)
            .filter(
                n ->
                    n.getMetadata()
                        .getAnnotations()
                        .containsKey(KubernetesApiServer.GPU_UUIDS_ANNOTATION))
            .toList();
    List<String> exporters = new ArrayList<>();
    client
        .endpoints()
        .inNamespace(DcgmExporters.NAMESPACE)
        .withName(DcgmExporters.SERVICE)
        .get()
        .getSubsets()
        .forEach(
            s -> {
              for (EndpointAddress a : s.getAddresses()) {
                exporters.add(
                    "http://" + a.getIp() + ":" + s.getPorts().get(0).getPort() + "/metrics");
              }
            });
    System.out.printf(
        "%d GPU nodes, %d exporters; %d pods/s for %d s, solo %s s%n",
        gpuNodes.size(), exporters.size(), rate, seconds, solo);

    ExecutorService deleter = Executors.newFixedThreadPool(4);
    Map<String, Long> boundAt = new ConcurrentHashMap<>();
    LagHistogram startLatency = new LagHistogram();
    AtomicLong running = new AtomicLong();
    AtomicLong ended = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    Map<String, String> seen = new ConcurrentHashMap<>();
    var informer =
        client
            .pods()
            .inNamespace(ns)
            .inform(
                new ResourceEventHandler<Pod>() {
                  @Override
                  public void onAdd(Pod pod) {
                    onUpdate(null, pod);
                  }

                  @Override
                  public void onUpdate(Pod old, Pod pod) {
                    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
                    String name = pod.getMetadata().getName();
                    if (phase == null || phase.equals(seen.put(name, phase))) {
                      return;
                    }
                    if (phase.equals("Running")
                        || phase.equals("Succeeded")
                        || phase.equals("Failed")) {
                      Long at = boundAt.remove(name);
                      if (at != null) {
                        running.incrementAndGet();
                        startLatency.record((System.nanoTime() - at) / 1e6);
                      }
                    }
                    if (phase.equals("Succeeded")) {
                      ended.incrementAndGet();
                      // As a job controller's TTL would: the API keeps only what still matters.
                      deleter.execute(() -> client.pods().inNamespace(ns).withName(name).delete());
                    } else if (phase.equals("Failed")) {
                      failed.incrementAndGet();
                    }
                  }

                  @Override
                  public void onDelete(Pod pod, boolean unknown) {}
                },
                0);

    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    AtomicLong scrapesOk = new AtomicLong();
    AtomicLong scrapesFailed = new AtomicLong();
    AtomicLong scrapeBytes = new AtomicLong();
    LagHistogram roundMillis = new LagHistogram();
    Semaphore inFlight = new Semaphore(64);
    Thread scraper =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                long t0 = System.nanoTime();
                List<java.util.concurrent.CompletableFuture<?>> round = new ArrayList<>();
                for (String target : exporters) {
                  try {
                    inFlight.acquire();
                  } catch (InterruptedException e) {
                    return;
                  }
                  round.add(
                      http.sendAsync(
                              HttpRequest.newBuilder(URI.create(target))
                                  .timeout(Duration.ofSeconds(5))
                                  .build(),
                              HttpResponse.BodyHandlers.ofString())
                          .whenComplete(
                              (r, e) -> {
                                inFlight.release();
                                if (e == null
                                    && r.statusCode() == 200
                                    && r.body().contains("DCGM_FI_DEV_GPU_UTIL")) {
                                  scrapesOk.incrementAndGet();
                                  scrapeBytes.addAndGet(r.body().length());
                                } else {
                                  scrapesFailed.incrementAndGet();
                                }
                              }));
                }
                round.forEach(f -> f.exceptionally(e -> null).join());
                long took = System.nanoTime() - t0;
                roundMillis.record(took / 1e6);
                long sleep = (long) (scrapeEvery * 1e9) - took;
                if (sleep > 0) {
                  try {
                    Thread.sleep(sleep / 1_000_000);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              }
            },
            "scraper");
    scraper.setDaemon(true);
    scraper.start();

    ExecutorService pool = Executors.newFixedThreadPool(32);
    Random random = new Random(42);
    AtomicLong created = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    long start = System.nanoTime();
    long total = (long) rate * seconds;
    for (long i = 0; i < total; i++) {
      long due = start + (long) (i * 1e9 / rate);
      long wait = due - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      }
      Node node = gpuNodes.get(random.nextInt(gpuNodes.size()));
      String[] uuids =
          node.getMetadata()
              .getAnnotations()
              .get(KubernetesApiServer.GPU_UUIDS_ANNOTATION)
              .split(",");
      String uuid = uuids[random.nextInt(uuids.length)];
      String name = "p-" + i;
      String nodeName = node.getMetadata().getName();
      pool.execute(
          () -> {
            try {
              client.pods().inNamespace(ns).resource(pod(ns, name, uuid, solo)).create();
              boundAt.put(name, System.nanoTime());
              int code = Binder.bind(http, url, ns, name, nodeName);
              if (code != 201) {
                throw new IllegalStateException("binding answered " + code);
              }
              created.incrementAndGet();
            } catch (Exception e) {
              errors.incrementAndGet();
            }
          });
    }
    pool.shutdown();
    pool.awaitTermination(60, java.util.concurrent.TimeUnit.SECONDS);
    double took = (System.nanoTime() - start) / 1e9;
    Thread.sleep(3000); // stragglers' starts
    scraper.interrupt();
    System.out.printf(
        "created+bound %d in %.1f s (%.0f/s), %d errors; started %d, start latency p50 %d ms p99 %d ms max %d ms;"
            + " succeeded %d, failed %d%n",
        created.get(),
        took,
        created.get() / took,
        errors.get(),
        running.get(),
        startLatency.quantileMillis(0.5),
        startLatency.quantileMillis(0.99),
        startLatency.quantileMillis(1.0),
        ended.get(),
        failed.get());
    System.out.printf(
        "scrapes ok %d, failed %d, %.1f KiB per page, round p50 %d ms p99 %d ms%n",
        scrapesOk.get(),
        scrapesFailed.get(),
        scrapesOk.get() == 0 ? 0 : scrapeBytes.get() / 1024.0 / scrapesOk.get(),
        roundMillis.quantileMillis(0.5),
        roundMillis.quantileMillis(0.99));
    System.out.println(
        "stack: "
            + http.send(
                    HttpRequest.newBuilder(URI.create(statusUrl)).build(),
                    HttpResponse.BodyHandlers.ofString())
                .body());
    informer.close();
    client.close();
    System.exit(0);
  }

  static Pod pod(String ns, String name, String uuid, String solo) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(ns)
        .addToLabels("cotenant.dev/app", "load")
        .addToAnnotations("cotenant.dev/gpu-uuid", uuid)
        .addToAnnotations("cotenant.dev/gpu-milli", "100")
        .addToAnnotations("cotenant.dev/gpu-memory-mib", "256")
        .addToAnnotations("sim.cotenant.dev/solo-seconds", solo)
        .endMetadata()
        .withNewSpec()
        .withSchedulerName("cotenant")
        .withRestartPolicy("Never")
        .addNewContainer()
        .withName("main")
        .withImage("ghcr.io/acme/load:1")
        .withNewResources()
        .addToRequests("cpu", new Quantity("100m"))
        .endResources()
        .endContainer()
        .endSpec()
        .build();
  }
}
