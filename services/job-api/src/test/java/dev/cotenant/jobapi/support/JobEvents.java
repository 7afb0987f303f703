package dev.cotenant.jobapi.support;

import dev.cotenant.events.CotenantEvent;
import dev.cotenant.events.EventSerializer;
import dev.cotenant.events.GpuRef;
import dev.cotenant.events.JobEvent;
import dev.cotenant.events.JobPlaced;
import dev.cotenant.events.JobQueued;
import dev.cotenant.events.JobSucceeded;
import dev.cotenant.events.PodAssignment;
import dev.cotenant.events.PodBound;
import dev.cotenant.events.PodFinished;
import dev.cotenant.events.PodStarted;
import dev.cotenant.testsupport.TestStack;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Job events as placement and the monitor would publish them, on the shared test broker. */
public final class JobEvents {
  public static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
  private static Producer<String, CotenantEvent> producer;

  private JobEvents() {}

  /** A whole successful life of a job with two replicas on one node, in publishing order. */
  public static List<JobEvent> lifecycle(String tenant, String jobId) {
    return lifecycle(tenant, jobId, List.of());
  }

  /** The same life, with {@code endpoints} in its JobPlaced (as for an interactive job). */
  public static List<JobEvent> lifecycle(String tenant, String jobId, List<String> endpoints) {
    GpuRef gpu0 = new GpuRef(0, "GPU-aaaa-0000");
    GpuRef gpu1 = new GpuRef(1, "GPU-aaaa-0001");
    String node = "gpu-node-1";
    List<JobEvent> events = new ArrayList<>();
    events.add(new JobQueued(id(), T0.plusMillis(10), tenant, jobId, 0, "waiting for gang of 2"));
    events.add(
        new JobPlaced(
            id(),
            T0.plusMillis(20),
            tenant,
            jobId,
            "interference-aware",
            List.of(
                new PodAssignment(jobId + "-0", 0, node, List.of(gpu0)),
                new PodAssignment(jobId + "-1", 1, node, List.of(gpu1))),
            List.of(),
            endpoints));
    for (int r = 0; r < 2; r++) {
      GpuRef gpu = r == 0 ? gpu0 : gpu1;
      String pod = jobId + "-" + r;
      events.add(new PodBound(id(), T0.plusMillis(30 + r), tenant, jobId, pod, node, List.of(gpu)));
      events.add(
          new PodStarted(
              id(),
              T0.plusSeconds(2 + r),
              tenant,
              jobId,
              "resnet50",
              pod,
              node,
              List.of(gpu),
              List.of()));
    }
    for (int r = 0; r < 2; r++) {
      GpuRef gpu = r == 0 ? gpu0 : gpu1;
      events.add(
          new PodFinished(
              id(),
              T0.plusSeconds(100 + r),
              tenant,
              jobId,
              "resnet50",
              jobId + "-" + r,
              node,
              List.of(gpu),
              PodFinished.Outcome.SUCCEEDED,
              OptionalInt.of(0),
              T0.plusSeconds(2 + r),
              98,
              List.of()));
    }
    events.add(new JobSucceeded(id(), T0.plusSeconds(102), tenant, jobId, 102));
    return events;
  }

  public static String id() {
    return UUID.randomUUID().toString();
  }

  /** Publishes in order, each to its contract's topic, and waits for every acknowledgement. */
  public static void publish(List<? extends CotenantEvent> events) {
    List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
    for (CotenantEvent event : events) {
      acks.add(producer().send(new ProducerRecord<>(event.type().topic(), event.key(), event)));
    }
    for (var ack : acks) {
      try {
        ack.get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException("publishing a test event failed", e);
      }
    }
  }

  private static synchronized Producer<String, CotenantEvent> producer() {
    if (producer == null) {
      producer =
          new KafkaProducer<>(
              Map.of(
                  ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                  TestStack.get().kafka().bootstrapServers(),
                  ProducerConfig.ACKS_CONFIG,
                  "all"),
              new StringSerializer(),
              new EventSerializer());
    }
    return producer;
  }
}
