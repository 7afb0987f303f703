package dev.cotenant.profiler.ingest;

import static dev.cotenant.profiler.support.Events.sample;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cotenant.events.CloudEventHeaders;
import dev.cotenant.events.EventSerializer;
import dev.cotenant.events.GpuSample;
import dev.cotenant.events.Topics;
import dev.cotenant.profiler.ingest.TelemetryIngest.Outcome;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Plain JUnit: the ingest path is plain Java, fed records as the consumer gets them. */
class TelemetryIngestTest {
  private final PodDirectory pods = new PodDirectory();
  private TelemetryIngest ingest;

  @BeforeEach
  void setUp() {
    pods.put("resnet-0", "resnet");
    pods.put("vgg-0", "vgg");
    ingest = new TelemetryIngest(pods);
  }

  private Outcome send(GpuSample s) {
    RecordHeaders headers = new RecordHeaders();
    byte[] value = new EventSerializer().serialize(Topics.GPU_TELEMETRY, headers, s);
    return ingest.accept(Topics.GPU_TELEMETRY, headers, value);
  }

  @Test
  void soloSamplesAggregatePerAppAndSharedOnesOnlyMoveTheWatermark() {
    assertThat(send(sample("n1", 0, 1, 0.4, 5000, "resnet-0"))).isEqualTo(Outcome.SOLO);
    assertThat(send(sample("n1", 0, 2, 0.6, 7000, "resnet-0"))).isEqualTo(Outcome.SOLO);
    assertThat(send(sample("n1", 0, 3, 0.9, 9000, "resnet-0", "vgg-0"))).isEqualTo(Outcome.SHARED);
    assertThat(send(sample("n1", 1, 3, 0.9, 9000, "unknown-0"))).isEqualTo(Outcome.UNKNOWN_POD);

    SoloStats resnet = ingest.stats("resnet").orElseThrow();
    assertThat(resnet.samples()).isEqualTo(2);
    assertThat(resnet.meanSm()).isEqualTo(0.5, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(resnet.meanDram()).isEqualTo(0.25, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(resnet.meanUtilPercent()).isEqualTo(50, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(resnet.maxMemoryMiB()).isEqualTo(7000);
    assertThat(ingest.stats("vgg")).isEmpty();
  }

  @Test
  void aSampleThatCameBeforeItsPodsLifecycleCountsOnceThePodIsKnown() {
    assertThat(send(sample("n1", 0, 1, 0.4, 5000, "early-0"))).isEqualTo(Outcome.UNKNOWN_POD);
    assertThat(send(sample("n1", 0, 2, 0.6, 6000, "early-0"))).isEqualTo(Outcome.UNKNOWN_POD);
    assertThat(ingest.drain().apps()).isEmpty();
    assertThat(ingest.awaitingApp()).isEqualTo(2);

    pods.put("early-0", "bert");
    TelemetryIngest.Flush flush = ingest.drain();
    assertThat(flush.apps()).containsOnlyKeys("bert");
    assertThat(flush.apps().get("bert").samples()).isEqualTo(2);
    assertThat(flush.apps().get("bert").maxMemoryMiB()).isEqualTo(6000);
    assertThat(ingest.awaitingApp()).isZero();
    assertThat(ingest.lateSolo()).isEqualTo(2);
    assertThat(ingest.drain().apps()).isEmpty(); // counted once
  }

  @Test
  void aSampleWaitsForItsPodOnlySoLong() {
    send(sample("n1", 0, 1, 0.4, 5000, "never-0"));
    long later = 1 + TelemetryIngest.AWAIT_APP.toSeconds() + 1;
    send(sample("n1", 0, later, 0.4, 5000, "late-0"));
    ingest.drain();
    assertThat(ingest.awaitingApp()).isEqualTo(1); // never-0's waited too long; late-0's waits on
    pods.put("never-0", "ghost");
    assertThat(ingest.drain().apps()).isEmpty();
  }

  @Test
  void duplicateAndLateSamplesChangeNothing() {
    GpuSample first = sample("n1", 0, 10, 0.4, 5000, "resnet-0");
    send(first);
    send(sample("n1", 0, 20, 0.6, 5000, "resnet-0"));

    assertThat(send(first)).isEqualTo(Outcome.STALE); // same record again
    assertThat(send(sample("n1", 0, 15, 0.1, 5000, "resnet-0"))).isEqualTo(Outcome.STALE);
    assertThat(send(sample("n1", 1, 15, 0.1, 5000, "resnet-0"))).isEqualTo(Outcome.SOLO);

    assertThat(ingest.stats("resnet").orElseThrow().samples()).isEqualTo(3);
    assertThat(ingest.seen(Outcome.STALE)).isEqualTo(2);
  }

  @Test
  void drainHandsOverOnlyWhatChangedAndUndrainKeepsItForTheNextFlush() {
    send(sample("n1", 0, 1, 0.4, 5000, "resnet-0"));
    TelemetryIngest.Flush flush = ingest.drain();
    assertThat(flush.apps()).containsOnlyKeys("resnet");
    assertThat(flush.watermarks()).containsOnlyKeys(new GpuKey("n1", 0));
    assertThat(ingest.drain().isEmpty()).isTrue();

    ingest.undrain(flush);
    assertThat(ingest.drain()).isEqualTo(flush);
  }

  @Test
  void restoredWatermarksMakeReplayedSamplesStale() {
    GpuSample s = sample("n1", 0, 5, 0.4, 5000, "resnet-0");
    send(s);
    TelemetryIngest.Flush stored = ingest.drain();

    TelemetryIngest restarted = new TelemetryIngest(pods);
    restarted.restore(stored.apps(), stored.watermarks());
    assertThat(restarted.accept(s)).isEqualTo(Outcome.STALE);
    assertThat(restarted.stats("resnet").orElseThrow().samples()).isEqualTo(1);
  }

  @Test
  void recordsThatAreNotSamplesOrOutOfRangeAreRejected() {
    RecordHeaders headers = new RecordHeaders();
    headers.add(CloudEventHeaders.TYPE, "dev.cotenant.gpu.sample".getBytes(StandardCharsets.UTF_8));
    assertThat(ingest.accept(Topics.GPU_TELEMETRY, headers, "{nope".getBytes()))
        .isEqualTo(Outcome.REJECTED);
    assertThat(ingest.accept(Topics.GPU_TELEMETRY, new RecordHeaders(), "{}".getBytes()))
        .isEqualTo(Outcome.REJECTED);
    assertThat(send(sample("n1", 0, 1, 1.7, 5000, "resnet-0"))).isEqualTo(Outcome.REJECTED);
    assertThat(ingest.stats("resnet")).isEmpty();
  }
}
