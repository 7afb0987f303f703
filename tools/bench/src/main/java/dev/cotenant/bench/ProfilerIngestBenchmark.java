package dev.cotenant.bench;

import dev.cotenant.events.CotenantEvent;
import dev.cotenant.events.EventSerializer;
import dev.cotenant.events.GpuRef;
import dev.cotenant.events.GpuSample;
import dev.cotenant.events.Topics;
import dev.cotenant.profiler.ingest.ConsumerSettings;
import dev.cotenant.profiler.ingest.PodDirectory;
import dev.cotenant.profiler.ingest.TelemetryIngest;
import dev.cotenant.testsupport.KafkaBroker;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The profiler's telemetry ingest end to end through a real broker: N {@link GpuSample} CloudEvents
 * are produced to an in-process KRaft broker first, then consumed with the profiler's own consumer
 * settings ({@link ConsumerSettings}) and fed to its {@link TelemetryIngest}, draining and
 * committing every second as the service does. Only the consume + ingest phase is timed.
 *
 * <p>Not timed: the per-second database flush of the service (a few thousand upserts of aggregates
 * and watermarks, independent of the event rate) — no PostgreSQL runs here.
 */
final class ProfilerIngestBenchmark {
  static final int GPUS_PER_NODE = 8;
  static final int APPS = 26;
  static final String GROUP = "bench-profiler";

  private final int events;
  private final int nodes;
  private final int partitions;
  private final int maxPoll;
  private final PrintStream out;

  ProfilerIngestBenchmark(int events, int nodes, int partitions, int maxPoll, PrintStream out) {
    this.events = events;
    this.nodes = nodes;
    this.partitions = partitions;
    this.maxPoll = maxPoll;
    this.out = out;
  }

  /** The result line: consumed + ingested events per second. */
  record Result(long events, double seconds, long solo, long shared, long stale, long rejected) {
    double perSecond() {
      return events / seconds;
    }

    String headline() {
      return String.format(Locale.ROOT, "telemetry_events_per_second=%d", Math.round(perSecond()));
    }
  }

  /**
   * The sample of GPU {@code gpu} at step {@code step}: two of three cards run one pod (a solo
   * sample of one of 26 apps), the third two pods; times increase per card, as DCGM scrapes do.
   */
  static GpuSample sample(int gpu, int step, int nodes) {
    int node = gpu / GPUS_PER_NODE;
    int index = gpu % GPUS_PER_NODE;
    List<String> pods = gpu % 3 == 2 ? List.of(pod(gpu), pod(gpu + 1)) : List.of(pod(gpu));
    double sm = 0.2 + (gpu % 7) * 0.1;
    return new GpuSample(
        UUID.randomUUID().toString(),
        Instant.parse("2026-01-01T00:00:00Z").plusSeconds(step),
        "node-" + node,
        new GpuRef(index, "GPU-" + node + "-" + index),
        "P100",
        sm,
        sm / 2,
        sm * 100,
        4000 + (gpu % 5) * 1000L,
        16384,
        pods);
  }

  static String pod(int gpu) {
    return "pod-" + gpu;
  }

  static PodDirectory directory(int gpus) {
    PodDirectory pods = new PodDirectory();
    for (int gpu = 0; gpu <= gpus; gpu++) {
      pods.put(pod(gpu), "app-" + (gpu % APPS));
    }
    return pods;
  }

  Result run() throws Exception {
    try (KafkaBroker broker = KafkaBroker.startEphemeral()) {
      broker.createTopics(List.of(new NewTopic(Topics.GPU_TELEMETRY, partitions, (short) 1)));
      long t0 = System.nanoTime();
      produce(broker.bootstrapServers());
      out.printf(
          Locale.ROOT,
          "# produced %,d GpuSample events to %d partitions in %.1f s%n",
          events,
          partitions,
          (System.nanoTime() - t0) / 1e9);
      return consume(broker.bootstrapServers());
    }
  }

  private void produce(String bootstrap) throws Exception {
    int gpus = nodes * GPUS_PER_NODE;
    try (var producer =
        new KafkaProducer<String, CotenantEvent>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.LINGER_MS_CONFIG,
                20,
                ProducerConfig.BATCH_SIZE_CONFIG,
                256 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG,
                "none"),
            new StringSerializer(),
            new EventSerializer())) {
      List<Future<?>> last = new ArrayList<>();
      for (int i = 0; i < events; i++) {
        GpuSample s = sample(i % gpus, i / gpus, nodes);
        Future<?> ack = producer.send(new ProducerRecord<>(Topics.GPU_TELEMETRY, s.key(), s));
        if (i >= events - 1000) {
          last.add(ack);
        }
      }
      producer.flush();
      for (Future<?> ack : last) {
        ack.get();
      }
    }
  }

  private Result consume(String bootstrap) {
    TelemetryIngest ingest = new TelemetryIngest(directory(nodes * GPUS_PER_NODE));
    long consumed = 0;
    try (KafkaConsumer<String, byte[]> consumer =
        ConsumerSettings.consumer(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
            GROUP,
            "profiler-telemetry",
            maxPoll)) {
      consumer.subscribe(List.of(Topics.GPU_TELEMETRY));
      // The group join and first fetch are set-up, not ingest: wait for the first records.
      ConsumerRecords<String, byte[]> records = ConsumerRecords.empty();
      while (records.isEmpty()) {
        records = consumer.poll(Duration.ofMillis(200));
      }
      long start = System.nanoTime();
      long nextFlush = start + 1_000_000_000L;
      while (true) {
        ingest.accept(records);
        consumed += records.count();
        if (consumed >= events) {
          break;
        }
        if (System.nanoTime() - nextFlush >= 0) {
          ingest.drain(); // what the service would store now
          consumer.commitSync();
          nextFlush = System.nanoTime() + 1_000_000_000L;
        }
        records = consumer.poll(Duration.ofMillis(200));
      }
      ingest.drain();
      consumer.commitSync();
      double seconds = (System.nanoTime() - start) / 1e9;
      return new Result(
          consumed,
          seconds,
          ingest.seen(TelemetryIngest.Outcome.SOLO),
          ingest.seen(TelemetryIngest.Outcome.SHARED),
          ingest.seen(TelemetryIngest.Outcome.STALE),
          ingest.seen(TelemetryIngest.Outcome.REJECTED));
    }
  }
}
