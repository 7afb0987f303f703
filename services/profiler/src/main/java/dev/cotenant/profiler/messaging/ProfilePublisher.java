package dev.cotenant.profiler.messaging;

import dev.cotenant.events.AppProfile;
import dev.cotenant.events.CotenantEvent;
import dev.cotenant.events.EventSerializer;
import dev.cotenant.events.Topics;
import dev.cotenant.interference.InterferenceMatrix;
import dev.cotenant.interference.learn.LearnedModel;
import dev.cotenant.profiler.config.ProfilerConfig;
import dev.cotenant.profiler.mapping.ProfileMapper;
import dev.cotenant.profiler.repository.ProfilerRepository;
import dev.cotenant.profiler.service.ProfileService;
import dev.cotenant.service.messaging.KafkaSettings;
import dev.cotenant.service.tracing.TraceHeaders;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * Publishes each app's {@link AppProfile} to the compacted {@code cotenant.profiles} (key = app)
 * when its content changed. Ticks every publish interval, so changes in between coalesce into one
 * publication per app. What was published is remembered as a fingerprint per app in the database
 * (after the broker acked it): a restart republishes only what differs, e.g. a change the previous
 * process learned but had not published yet.
 */
@ApplicationScoped
public class ProfilePublisher {
  private static final Logger LOG = Logger.getLogger(ProfilePublisher.class);
  private static final Duration DB_TIMEOUT = Duration.ofSeconds(30);

  private final ProfileService service;
  private final ProfilerRepository repository;
  private final ProfilerConfig config;
  private final Map<String, Object> kafka;
  private final Tracer tracer;
  private final Map<String, String> published = new HashMap<>();
  private ScheduledExecutorService ticks;
  private Producer<String, CotenantEvent> producer;
  private boolean primed;
  private long seenVersion = -1;

  public ProfilePublisher(
      ProfileService service,
      ProfilerRepository repository,
      ProfilerConfig config,
      @Identifier("default-kafka-broker") Map<String, Object> kafka,
      Tracer tracer) {
    this.service = service;
    this.repository = repository;
    this.config = config;
    this.kafka = kafka;
    this.tracer = tracer;
  }

  void start(@Observes StartupEvent event) {
    ticks =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "profile-publisher");
              t.setDaemon(true);
              return t;
            });
    long every = config.publishInterval().toMillis();
    ticks.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
  }

  void stop(@Observes ShutdownEvent event) {
    if (ticks != null) {
      ticks.shutdownNow();
    }
    if (producer != null) {
      producer.close(Duration.ofSeconds(2));
    }
  }

  private void tick() {
    if (!service.ready()) {
      return;
    }
    if (!primed) {
      service.loaded().ifPresent(s -> published.putAll(s.published()));
      primed = true;
    }
    long version = service.version();
    if (version == seenVersion) {
      return;
    }
    try {
      int sent = publishChanged();
      seenVersion = version; // later changes moved the version and are seen next tick
      if (sent > 0) {
        LOG.debugf("published %d profile(s)", sent);
      }
    } catch (RuntimeException e) {
      LOG.warnf("publishing profiles failed, retrying next tick: %s", e.getMessage());
      closeProducer();
    }
  }

  /**
   * Publishes every app whose profile differs from its last publication; returns how many. One span
   * ({@code profiler.publish-profiles}) per round; the records carry its context.
   */
  private int publishChanged() {
    Span span =
        tracer.spanBuilder("profiler.publish-profiles").setSpanKind(SpanKind.PRODUCER).startSpan();
    try {
      int sent = publishChanged(TraceHeaders.of(span));
      span.setAttribute(PROFILES, (long) sent);
      return sent;
    } catch (RuntimeException e) {
      span.recordException(e);
      span.setStatus(StatusCode.ERROR, e.getMessage());
      throw e;
    } finally {
      span.end();
    }
  }

  private static final AttributeKey<Long> PROFILES = AttributeKey.longKey("cotenant.profiles");

  private int publishChanged(TraceHeaders trace) {
    LearnedModel model = service.model();
    InterferenceMatrix matrix = model.toMatrix(config.device());
    var pairs = ProfileMapper.pairsByApp(matrix);
    Instant now = Instant.now();
    Map<String, String> changed = new LinkedHashMap<>();
    List<Future<?>> acks = new ArrayList<>();
    for (String app : new TreeSet<>(model.apps())) {
      AppProfile profile =
          ProfileMapper.profile(model, matrix, pairs, app, UUID.randomUUID().toString(), now);
      String fingerprint = ProfileMapper.fingerprint(profile);
      if (!fingerprint.equals(published.get(app))) {
        changed.put(app, fingerprint);
        ProducerRecord<String, CotenantEvent> record =
            new ProducerRecord<>(Topics.PROFILES, app, profile);
        trace.addTo(record.headers());
        acks.add(producer().send(record));
      }
    }
    for (Future<?> ack : acks) {
      try {
        ack.get(DB_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while publishing profiles", e);
      } catch (Exception e) {
        throw new IllegalStateException("publishing profiles: " + e.getMessage(), e);
      }
    }
    if (!changed.isEmpty()) {
      repository.published(changed).await().atMost(DB_TIMEOUT);
      published.putAll(changed);
    }
    return changed.size();
  }

  private Producer<String, CotenantEvent> producer() {
    if (producer == null) {
      producer = createProducer();
    }
    return producer;
  }

  /** Idempotent, acks from all replicas, CloudEvents binary mode (as job-api's outbox relay). */
  private Producer<String, CotenantEvent> createProducer() {
    Map<String, Object> props = KafkaSettings.forClient(kafka, ProducerConfig.configNames());
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "profiler-profiles");
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, EventSerializer.class.getName());
    props.put(EventSerializer.SOURCE_CONFIG, config.source());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
    return new KafkaProducer<>(props);
  }

  private void closeProducer() {
    if (producer != null) {
      producer.close(Duration.ZERO);
      producer = null;
    }
  }
}
