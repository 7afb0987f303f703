package dev.cotenant.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cotenant.events.CloudEventHeaders;
import dev.cotenant.events.EventType;
import dev.cotenant.events.GpuRef;
import dev.cotenant.events.JobQueued;
import dev.cotenant.events.PodBound;
import dev.cotenant.events.Topics;
import dev.cotenant.testsupport.EventTopics;
import dev.cotenant.testsupport.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The bound watcher against a real in-process broker, with events sent as placement sends them. */
class BoundWatcherTest {
  private static KafkaBroker kafka;

  @BeforeAll
  static void broker() throws Exception {
    kafka = KafkaBroker.startEphemeral();
    kafka.createCotenantTopics(3);
  }

  @AfterAll
  static void stop() {
    kafka.close();
  }

  private static PodBound bound(String eventId, String jobId, String pod) {
    return new PodBound(
        eventId, Instant.now(), "load", jobId, pod, "node-0000", List.of(new GpuRef(0, "GPU-x")));
  }

  @Test
  void countsPodBoundsFromItsStartSkippingOtherTypesAndMalformedRecords() throws Exception {
    String bootstrap = kafka.bootstrapServers();
    // Before the watcher starts: not part of the run.
    EventTopics.send(bootstrap, List.of(bound("old", "a", "a-0")));

    BoundTally tally = new BoundTally();
    tally.accepted("a", 1, System.nanoTime(), true);
    tally.accepted("b", 1, System.nanoTime(), true);
    try (BoundWatcher watcher = new BoundWatcher(bootstrap, tally)) {
      EventTopics.send(
          bootstrap,
          List.of(
              new JobQueued("q1", Instant.now(), "load", "b", 1, "waiting for its gang"),
              bound("e1", "a", "a-0"),
              bound("e1", "a", "a-0"), // redelivery
              bound("e2", "b", "b-0"),
              bound("e3", "b", "b-0"))); // a second binding of the same pod
      sendMalformedPodBound(bootstrap);

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while ((tally.unbound() > 0 || watcher.malformed() == 0) && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      Thread.sleep(500);
      assertThat(watcher.malformed()).isEqualTo(1);
    }
    BoundTally.Summary s = tally.summary(0, Long.MAX_VALUE);
    assertThat(s.bound()).isEqualTo(2);
    assertThat(s.lost()).isZero();
    assertThat(s.reboundPods()).isEqualTo(1);
    assertThat(s.foreignPods()).isZero();
  }

  private static void sendMalformedPodBound(String bootstrap) throws Exception {
    try (var producer =
        new KafkaProducer<String, byte[]>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
            new StringSerializer(),
            new ByteArraySerializer())) {
      var record =
          new ProducerRecord<String, byte[]>(
              Topics.JOB_EVENTS, "b", "not json".getBytes(StandardCharsets.UTF_8));
      record
          .headers()
          .add(
              CloudEventHeaders.TYPE,
              EventType.POD_BOUND.ceType().getBytes(StandardCharsets.UTF_8));
      producer.send(record).get(10, TimeUnit.SECONDS);
    }
  }
}
