package dev.cotenant.localstack.controller;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * kube-controller-manager's pod garbage collector, the part a cluster of simulated kubelets needs:
 * once more than {@code threshold} pods have terminated (Succeeded or Failed), the oldest by
 * creation time (then namespace and name) are deleted, checked every 20 s as the real controller
 * does. Without it every pod a long run ever finished stays in the embedded API and in every
 * informer's cache (at 1,000 nodes and ~60,000 stored pods the API's heap was full and its answers
 * took over 5 s).
 */
public final class PodGarbageCollector implements AutoCloseable {
  /** kube-controller-manager's {@code --terminated-pod-gc-threshold} default. */
  public static final int DEFAULT_THRESHOLD = 12_500;

  /** kube-controller-manager's {@code gcCheckPeriod}. */
  static final Duration CHECK_PERIOD = Duration.ofSeconds(20);

  private final KubernetesClient client;
  private final SharedIndexInformer<Pod> terminated;
  private final int threshold;
  private final ScheduledExecutorService timer;
  private final AtomicLong deleted = new AtomicLong();

  PodGarbageCollector(KubernetesClient client, int threshold, Duration period) {
    this.client = client;
    this.threshold = threshold;
    // Only terminated pods are cached, selected by the API server as the real controller's are.
    this.terminated =
        client
            .pods()
            .inAnyNamespace()
            .withoutField("status.phase", "Pending")
            .withoutField("status.phase", "Running")
            .withoutField("status.phase", "Unknown")
            .inform();
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "pod-gc");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleWithFixedDelay(
        this::collect, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Starts collecting; a threshold of 0 or less turns it off, as on kube-controller-manager. */
  public static java.util.Optional<PodGarbageCollector> start(
      KubernetesClient client, int threshold) {
    return threshold <= 0
        ? java.util.Optional.empty()
        : java.util.Optional.of(new PodGarbageCollector(client, threshold, CHECK_PERIOD));
  }

  /** Terminated pods in its cache. */
  int cached() {
    return terminated.getStore().list().size();
  }

  /** Pods deleted so far. */
  public long deleted() {
    return deleted.get();
  }

  void collect() {
    try {
      for (Pod pod : beyondThreshold(terminated.getStore().list(), threshold)) {
        client.pods().resource(pod).withGracePeriod(0).delete();
        deleted.incrementAndGet();
      }
    } catch (RuntimeException e) {
      // The next period tries again; a controller never stops for one failed pass.
      System.err.println("local-stack: pod garbage collection: " + e);
    }
  }

  /** The pods to delete: the oldest by creation time, as many as exceed the threshold. */
  static List<Pod> beyondThreshold(List<Pod> pods, int threshold) {
    List<Pod> terminatedPods = pods.stream().filter(PodGarbageCollector::terminal).toList();
    int excess = terminatedPods.size() - threshold;
    if (excess <= 0) {
      return List.of();
    }
    return terminatedPods.stream()
        .sorted(
            Comparator.comparing(PodGarbageCollector::created)
                .thenComparing(p -> p.getMetadata().getNamespace())
                .thenComparing(p -> p.getMetadata().getName()))
        .limit(excess)
        .toList();
  }

  private static boolean terminal(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  private static Instant created(Pod pod) {
    String at = pod.getMetadata().getCreationTimestamp();
    return at == null ? Instant.MIN : Instant.parse(at);
  }

  @Override
  public void close() {
    timer.shutdownNow();
    terminated.close();
  }
}
