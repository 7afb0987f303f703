package dev.cotenant.profiler.ingest;

import dev.cotenant.events.CotenantEvent;
import dev.cotenant.events.EventDeserializer;
import dev.cotenant.events.GpuSample;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.Headers;

/**
 * The telemetry path, plain Java so the benchmark runs exactly what the service runs: a record's
 * CloudEvent (headers + JSON value) becomes a {@link GpuSample}; a sample with exactly one pod on
 * its GPU adds to that pod's app's {@link SoloStats}.
 *
 * <p>Samples are not stored one by one (tens of thousands a second): the sums stay in memory and
 * {@link #drain()} hands the changed ones, with each changed GPU's watermark, to a flush that
 * writes both in one transaction. The watermark makes replays harmless: a sample no newer than the
 * last one applied for its GPU changes nothing. Not thread-safe: one consumer thread owns it.
 */
public final class TelemetryIngest {

  /** What became of one record. */
  public enum Outcome {
    /** Counted towards its app's solo profile. */
    SOLO,
    /** Several pods (or none) on the GPU: not a solo sample; only the watermark moved. */
    SHARED,
    /**
     * The one pod's app is not known yet: the sample waits for the pod's lifecycle event (it
     * travels on another topic and may come later) and counts once the app is known.
     */
    UNKNOWN_POD,
    /** No newer than the last sample applied for its GPU: a duplicate or late; ignored. */
    STALE,
    /** Not a GPU sample, or values out of range; ignored. */
    REJECTED
  }

  /** The changed aggregates and watermarks since the last drain, to be stored together. */
  public record Flush(Map<String, SoloStats> apps, Map<GpuKey, Instant> watermarks) {
    public boolean isEmpty() {
      return apps.isEmpty() && watermarks.isEmpty();
    }
  }

  private final EventDeserializer deserializer = new EventDeserializer();
  private final PodDirectory pods;
  private final Map<GpuKey, Instant> watermarks = new HashMap<>();
  private final Map<String, SoloStats> stats = new HashMap<>();
  private final Set<GpuKey> dirtyGpus = new HashSet<>();
  private final Set<String> dirtyApps = new HashSet<>();
  private final long[] counts = new long[Outcome.values().length];

  /**
   * Solo samples whose pod's app was not known when they came, oldest first. A short run's samples
   * can all arrive before its PodStarted (telemetry and lifecycles are separate topics, read by
   * separate consumers): dropping them would leave short jobs without a solo profile.
   */
  private final Deque<Awaiting> awaitingApp = new ArrayDeque<>();

  private long lateSolo;

  /** How long a sample waits for its pod's app, in sample time. */
  static final Duration AWAIT_APP = Duration.ofMinutes(2);

  /** At most this many wait; beyond it the oldest are dropped (a pod that never reports). */
  static final int MAX_AWAITING = 50_000;

  private record Awaiting(String pod, Instant time, SoloStats stats) {}

  public TelemetryIngest(PodDirectory pods) {
    this.pods = pods;
  }

  /** Starts from what was flushed before (a restart), so old samples stay stale. */
  public void restore(Map<String, SoloStats> apps, Map<GpuKey, Instant> gpus) {
    stats.putAll(apps);
    watermarks.putAll(gpus);
  }

  /** Ingests every record of a poll. */
  public void accept(ConsumerRecords<String, byte[]> records) {
    for (ConsumerRecord<String, byte[]> r : records) {
      accept(r.topic(), r.headers(), r.value());
    }
  }

  public Outcome accept(String topic, Headers headers, byte[] value) {
    CotenantEvent event;
    try {
      event = deserializer.deserialize(topic, headers, value);
    } catch (RuntimeException e) {
      return count(Outcome.REJECTED); // malformed: nothing to learn from it, nothing to retry
    }
    return event instanceof GpuSample sample ? accept(sample) : count(Outcome.REJECTED);
  }

  public Outcome accept(GpuSample s) {
    if (s.node() == null || s.gpu() == null || s.time() == null) {
      return count(Outcome.REJECTED);
    }
    SoloStats one = SoloStats.of(s);
    if (one == null) {
      return count(Outcome.REJECTED);
    }
    GpuKey gpu = new GpuKey(s.node(), s.gpu().index());
    Instant last = watermarks.get(gpu);
    if (last != null && !s.time().isAfter(last)) {
      return count(Outcome.STALE);
    }
    watermarks.put(gpu, s.time());
    dirtyGpus.add(gpu);
    if (s.pods().size() != 1) {
      return count(Outcome.SHARED);
    }
    Optional<String> app = pods.app(s.pods().get(0));
    if (app.isEmpty()) {
      if (awaitingApp.size() >= MAX_AWAITING) {
        awaitingApp.removeFirst();
      }
      awaitingApp.addLast(new Awaiting(s.pods().get(0), s.time(), one));
      return count(Outcome.UNKNOWN_POD);
    }
    add(app.get(), one);
    return count(Outcome.SOLO);
  }

  private void add(String app, SoloStats one) {
    stats.merge(app, one, SoloStats::plus);
    dirtyApps.add(app);
  }

  /**
   * Counts the waiting samples whose pod's app is now known, and forgets those that waited longer
   * than {@link #AWAIT_APP} behind the newest waiting one.
   */
  private void resolveAwaiting() {
    if (awaitingApp.isEmpty()) {
      return;
    }
    Instant cutoff = awaitingApp.peekLast().time().minus(AWAIT_APP);
    int waiting = awaitingApp.size();
    for (int i = 0; i < waiting; i++) {
      Awaiting a = awaitingApp.removeFirst();
      Optional<String> app = pods.app(a.pod());
      if (app.isPresent()) {
        add(app.get(), a.stats());
        lateSolo++;
      } else if (!a.time().isBefore(cutoff)) {
        awaitingApp.addLast(a);
      }
    }
  }

  /** Samples waiting for their pod's app now. */
  public int awaitingApp() {
    return awaitingApp.size();
  }

  /** Samples that waited for their pod's app and were counted once it was known. */
  public long lateSolo() {
    return lateSolo;
  }

  /**
   * The changes since the last drain (samples that waited for their pod's app included); {@link
   * #undrain} them if storing fails.
   */
  public Flush drain() {
    resolveAwaiting();
    Map<String, SoloStats> apps = new HashMap<>();
    for (String app : dirtyApps) {
      apps.put(app, stats.get(app));
    }
    Map<GpuKey, Instant> gpus = new HashMap<>();
    for (GpuKey gpu : dirtyGpus) {
      gpus.put(gpu, watermarks.get(gpu));
    }
    dirtyApps.clear();
    dirtyGpus.clear();
    return new Flush(Map.copyOf(apps), Map.copyOf(gpus));
  }

  /** Marks a flush that was not stored as changed again; the values are absolute, so it is safe. */
  public void undrain(Flush flush) {
    dirtyApps.addAll(flush.apps().keySet());
    dirtyGpus.addAll(flush.watermarks().keySet());
  }

  public Optional<SoloStats> stats(String app) {
    return Optional.ofNullable(stats.get(app));
  }

  /** Records seen per outcome since start. */
  public long seen(Outcome outcome) {
    return counts[outcome.ordinal()];
  }

  private Outcome count(Outcome outcome) {
    counts[outcome.ordinal()]++;
    return outcome;
  }
}
