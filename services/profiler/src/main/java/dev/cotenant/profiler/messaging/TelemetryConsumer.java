package dev.cotenant.profiler.messaging;

import dev.cotenant.events.Topics;
import dev.cotenant.profiler.config.ProfilerConfig;
import dev.cotenant.profiler.ingest.ConsumerSettings;
import dev.cotenant.profiler.ingest.TelemetryIngest;
import dev.cotenant.profiler.repository.ProfilerRepository;
import dev.cotenant.profiler.service.ProfileService;
import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;

/**
 * GPU samples from {@code cotenant.gpu-telemetry} through {@link TelemetryIngest} (the same class
 * the ingest benchmark runs). Every flush interval the changed aggregates and watermarks are stored
 * in one transaction, the model gets the new solo profiles, and only then are the offsets
 * committed: a crash replays samples that the stored watermarks then ignore.
 */
@Singleton // not proxied: its base class has no no-args constructor
public class TelemetryConsumer extends ProfilerConsumer {
  private static final Duration DB_TIMEOUT = Duration.ofSeconds(30);

  private TelemetryIngest ingest;
  private TelemetryIngest.Flush pending;
  private boolean uncommitted;
  private long nextFlush;

  public TelemetryConsumer(
      ProfilerRepository repository,
      ProfileService service,
      ProfilerConfig config,
      @Identifier("default-kafka-broker") Map<String, Object> kafka) {
    super(Topics.GPU_TELEMETRY, repository, service, config, kafka);
  }

  @Override
  protected Consumer<String, byte[]> create() {
    if (ingest == null) {
      ingest = new TelemetryIngest(service.pods());
      service.loaded().ifPresent(s -> ingest.restore(s.solo(), s.watermarks()));
    }
    nextFlush = System.nanoTime() + config.flushInterval().toNanos();
    return ConsumerSettings.consumer(
        kafka, config.group(), "profiler-telemetry", config.telemetryMaxPoll());
  }

  @Override
  protected void handle(
      Consumer<String, byte[]> consumer, ConsumerRecords<String, byte[]> records) {
    if (!records.isEmpty()) {
      ingest.accept(records);
      uncommitted = true;
    }
    if (System.nanoTime() - nextFlush < 0) {
      return;
    }
    pending = ingest.drain();
    if (!pending.isEmpty()) {
      repository.storeTelemetry(pending).await().atMost(DB_TIMEOUT);
      service.soloUpdated(pending.apps());
    }
    pending = null;
    if (uncommitted) {
      consumer.commitSync();
      uncommitted = false;
    }
    nextFlush = System.nanoTime() + config.flushInterval().toNanos();
  }

  @Override
  protected void failed() {
    // The sums in memory still hold the samples; what was not stored is stored at the next flush,
    // and the re-read records are older than the in-memory watermarks.
    if (pending != null) {
      ingest.undrain(pending);
      pending = null;
    }
  }

  /** The ingest path's counters, for the logs and tests. */
  public long seen(TelemetryIngest.Outcome outcome) {
    TelemetryIngest i = ingest;
    return i == null ? 0 : i.seen(outcome);
  }
}
