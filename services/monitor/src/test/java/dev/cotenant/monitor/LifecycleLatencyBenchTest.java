package dev.cotenant.monitor;

import static org.awaitility.Awaitility.await;

import dev.cotenant.events.PodFinished;
import dev.cotenant.events.PodStarted;
import dev.cotenant.events.Topics;
import dev.cotenant.monitor.support.Kubelet;
import dev.cotenant.monitor.support.MonitorTestResource;
import dev.cotenant.sim.cluster.NodeSpec;
import dev.cotenant.testsupport.EventLog;
import io.fabric8.kubernetes.api.model.Pod;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A measurement, not a test of speed: pod terminated (from just before the kubelet's status write)
 * → its PodFinished read back from Kafka, with pods ending at about 300 a second. Run with {@code
 * -Dcotenant.bench=true -Dtest=LifecycleLatencyBenchTest}.
 */
@QuarkusTest
@WithTestResource(MonitorTestResource.class)
@EnabledIfSystemProperty(named = "cotenant.bench", matches = "true")
class LifecycleLatencyBenchTest {
  static final int NODES = 60;
  static final int PER_NODE = 10;
  static final int RATE = 300;

  static double[] latencies(Map<String, Long> from, Map<String, Long> to) {
    return from.entrySet().stream()
        .mapToDouble(e -> (to.get(e.getKey()) - e.getValue()) / 1e6)
        .sorted()
        .toArray();
  }

  @Test
  void podTerminatedToPodFinishedOnKafka() throws Exception {
    try (EventLog log =
        new EventLog(MonitorTestResource.kafka(), Topics.JOB_EVENTS, Topics.GPU_TELEMETRY)) {
      List<Pod> pods = new ArrayList<>();
      Instant t0 = Instant.now().minusSeconds(600);
      for (int n = 0; n < NODES; n++) {
        NodeSpec node = Kubelet.gpuNode("lat-" + n);
        for (int i = 0; i < PER_NODE; i++) {
          Pod p =
              Kubelet.bound(
                  "mon-lat",
                  "lat-" + n + "-" + i,
                  "lat-" + n + "-" + i,
                  "app" + (i % 5),
                  node,
                  i % 4);
          Kubelet.running(p, t0);
          pods.add(p);
        }
      }
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  log.of(PodStarted.class).stream().filter(s -> s.pod().startsWith("lat-")).count()
                      >= pods.size());
      Map<String, Long> written = new ConcurrentHashMap<>();
      Map<String, Long> acknowledged = new ConcurrentHashMap<>();
      ExecutorService kubelets = Executors.newFixedThreadPool(4);
      long start = System.nanoTime();
      long intervalNanos = TimeUnit.SECONDS.toNanos(1) / RATE;
      for (int i = 0; i < pods.size(); i++) {
        Pod p = pods.get(i);
        long due = start + i * intervalNanos;
        kubelets.submit(
            () -> {
              long wait = due - System.nanoTime();
              if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
              }
              // Timed from before the write: the watch may deliver it before the write returns.
              long before = System.nanoTime();
              Kubelet.terminated(p, "Succeeded", 0, "Completed", t0, Instant.now());
              written.put(p.getMetadata().getName(), before);
              acknowledged.put(p.getMetadata().getName(), System.nanoTime());
              return null;
            });
      }
      kubelets.shutdown();
      kubelets.awaitTermination(2, TimeUnit.MINUTES);
      double rate = pods.size() / ((System.nanoTime() - start) / 1e9);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  log.of(PodFinished.class).stream().filter(f -> f.pod().startsWith("lat-")).count()
                      >= pods.size());
      Map<String, Long> received = new HashMap<>();
      for (EventLog.Seen s : log.all()) {
        if (s.event() instanceof PodFinished f && f.pod().startsWith("lat-")) {
          received.putIfAbsent(f.pod(), s.receivedNanos());
        }
      }
      double[] millis = latencies(written, received);
      double[] afterAck = latencies(acknowledged, received);
      System.out.printf(
          "monitor lifecycle: %d pods ended at %.0f/s; status write started → PodFinished on Kafka:"
              + " p50 %.1f ms, p99 %.1f ms, max %.1f ms; write acknowledged → PodFinished: p50 %.1f"
              + " ms, p99 %.1f ms%n",
          millis.length,
          rate,
          millis[millis.length / 2],
          millis[(int) Math.ceil(millis.length * 0.99) - 1],
          Arrays.stream(millis).max().orElse(0),
          afterAck[afterAck.length / 2],
          afterAck[(int) Math.ceil(afterAck.length * 0.99) - 1]);
    }
  }
}
