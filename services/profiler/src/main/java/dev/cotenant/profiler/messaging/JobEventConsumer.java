package dev.cotenant.profiler.messaging;

import dev.cotenant.events.CotenantEvent;
import dev.cotenant.events.EventDeserializer;
import dev.cotenant.events.PodFinished;
import dev.cotenant.events.PodStarted;
import dev.cotenant.events.Topics;
import dev.cotenant.interference.learn.Observation;
import dev.cotenant.profiler.config.ProfilerConfig;
import dev.cotenant.profiler.ingest.ConsumerSettings;
import dev.cotenant.profiler.ingest.ObservationMapper;
import dev.cotenant.profiler.repository.ProfilerRepository;
import dev.cotenant.profiler.repository.ProfilerRepository.FinishedRun;
import dev.cotenant.profiler.repository.ProfilerRepository.PodApp;
import dev.cotenant.profiler.service.ProfileService;
import dev.cotenant.service.tracing.SpanAttributes;
import dev.cotenant.service.tracing.TraceHeaders;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.jboss.logging.Logger;

/**
 * Pod lifecycles from {@code cotenant.job-events}: PodStarted/PodFinished tell which app a pod
 * runs; a PodFinished that ended in success or OOM is an observation. One transaction per poll,
 * then the runs stored for the first time are learned, then offsets are committed. Other event
 * types are skipped; records that are not events are logged and skipped (nothing to learn).
 */
@Singleton // not proxied: its base class has no no-args constructor
public class JobEventConsumer extends ProfilerConsumer {
  private static final Logger LOG = Logger.getLogger(JobEventConsumer.class);
  private static final Duration DB_TIMEOUT = Duration.ofSeconds(30);

  private final EventDeserializer deserializer = new EventDeserializer();

  /** What the profiler learns from a finished pod, in the job's trace. */
  static final String OBSERVE = "profiler.observe";

  private final Tracer tracer;

  public JobEventConsumer(
      ProfilerRepository repository,
      ProfileService service,
      ProfilerConfig config,
      @Identifier("default-kafka-broker") Map<String, Object> kafka,
      Tracer tracer) {
    super(Topics.JOB_EVENTS, repository, service, config, kafka);
    this.tracer = tracer;
  }

  @Override
  protected Consumer<String, byte[]> create() {
    return ConsumerSettings.consumer(
        kafka, config.group(), "profiler-job-events", config.maxBatch());
  }

  @Override
  protected void handle(
      Consumer<String, byte[]> consumer, ConsumerRecords<String, byte[]> records) {
    if (records.isEmpty()) {
      return;
    }
    List<PodApp> pods = new ArrayList<>();
    List<FinishedRun> runs = new ArrayList<>();
    Map<String, Span> spans = new HashMap<>();
    for (ConsumerRecord<String, byte[]> record : records) {
      CotenantEvent event;
      try {
        event = deserializer.deserialize(record.topic(), record.headers(), record.value());
      } catch (RuntimeException e) {
        LOG.warnf(
            "job events: skipping %s-%d@%d: %s",
            record.topic(), record.partition(), record.offset(), e.getMessage());
        continue;
      }
      collect(event, pods, runs);
      if (event instanceof PodFinished f && f.eventId() != null) {
        spans.put(f.eventId(), span(f, record));
      }
    }
    try {
      learn(consumer, pods, runs, spans);
    } finally {
      spans.values().forEach(Span::end);
    }
  }

  private void learn(
      Consumer<String, byte[]> consumer,
      List<PodApp> pods,
      List<FinishedRun> runs,
      Map<String, Span> spans) {
    List<FinishedRun> stored = repository.storeJobEvents(pods, runs).await().atMost(DB_TIMEOUT);
    for (PodApp pod : pods) {
      service.pods().put(pod.pod(), pod.app());
    }
    List<Observation> learned = new ArrayList<>(stored.size());
    for (FinishedRun run : stored) {
      learned.add(run.observation());
      Span span = spans.get(run.eventId());
      if (span != null) {
        span.setAttribute(LEARNED, true);
      }
    }
    service.learned(learned);
    consumer.commitSync();
  }

  private static final io.opentelemetry.api.common.AttributeKey<Boolean> LEARNED =
      io.opentelemetry.api.common.AttributeKey.booleanKey("cotenant.profiler.learned");

  /** A finished pod's span, a child of the monitor's; marked learned once its run is stored. */
  private Span span(PodFinished f, ConsumerRecord<String, byte[]> record) {
    return tracer
        .spanBuilder(OBSERVE)
        .setParent(TraceHeaders.of(record.headers()).context())
        .setSpanKind(SpanKind.CONSUMER)
        .setAttribute(SpanAttributes.JOB_ID, f.jobId())
        .setAttribute(SpanAttributes.TENANT, f.tenant())
        .setAttribute(SpanAttributes.POD, f.pod())
        .setAttribute(SpanAttributes.APP, f.app())
        .setAttribute(SpanAttributes.OUTCOME, f.outcome().name())
        .setAttribute(LEARNED, false)
        .startSpan();
  }

  /** What one event teaches: which app a pod runs, and for a finished pod maybe a run. */
  static void collect(CotenantEvent event, List<PodApp> pods, List<FinishedRun> runs) {
    if (event == null || event.eventId() == null || event.time() == null) {
      return;
    }
    if (event instanceof PodStarted s && known(s.pod(), s.app())) {
      pods.add(new PodApp(s.pod(), s.app(), s.time()));
    } else if (event instanceof PodFinished f && known(f.pod(), f.app())) {
      pods.add(new PodApp(f.pod(), f.app(), f.time()));
      ObservationMapper.observation(f)
          .ifPresent(o -> runs.add(new FinishedRun(f.eventId(), f.pod(), f.time(), o)));
    }
  }

  private static boolean known(String pod, String app) {
    return pod != null && !pod.isBlank() && app != null && !app.isBlank();
  }
}
