package dev.cotenant.monitor.service;

import dev.cotenant.events.GpuSample;
import dev.cotenant.monitor.config.MonitorConfig;
import dev.cotenant.monitor.lifecycle.LifecycleTracker;
import dev.cotenant.monitor.telemetry.DcgmReadings;
import dev.cotenant.monitor.telemetry.GpuReading;
import dev.cotenant.monitor.telemetry.GpuSampleMapper;
import dev.cotenant.monitor.telemetry.PrometheusText;
import dev.cotenant.monitor.telemetry.ScrapeTarget;
import dev.cotenant.monitor.telemetry.TargetHealth;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Scrapes every exporter each interval (one request in flight per target, answers read on a small
 * pool), and publishes one GpuSample per card of each good answer. A failed or late answer
 * publishes nothing; its target turns STALE once its last good scrape is older than the stale
 * limit.
 */
public final class DcgmScraper implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(DcgmScraper.class);

  /** What happened to the cards of the answers, for metrics and tests. */
  public record Counts(long published, long stale, long unattributed, long incomplete) {}

  private final MonitorConfig.Dcgm config;
  private final List<ScrapeTarget> staticTargets;
  private final Supplier<List<ScrapeTarget>> discovery;
  private final LifecycleTracker tracker;
  private final PageSink publish;

  /** Where one exporter page's fresh samples go, together (one span covers a page). */
  @FunctionalInterface
  public interface PageSink {
    void publish(ScrapeTarget target, Instant scrapedAt, List<GpuSample> samples);
  }

  private final Clock clock;
  private final TargetHealth health;
  private final ScheduledExecutorService timer;
  private final ScheduledExecutorService finder;
  private final ExecutorService readers;
  private final HttpClient http;
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  private volatile List<ScrapeTarget> discovered = List.of();
  private final AtomicLong published = new AtomicLong();
  private final AtomicLong stale = new AtomicLong();
  private final AtomicLong unattributed = new AtomicLong();
  private final AtomicLong incomplete = new AtomicLong();

  /**
   * @param discovery the exporters the Kubernetes API lists, or null for static targets only
   */
  public DcgmScraper(
      MonitorConfig.Dcgm config,
      List<ScrapeTarget> staticTargets,
      Supplier<List<ScrapeTarget>> discovery,
      LifecycleTracker tracker,
      PageSink publish,
      Clock clock) {
    this.config = config;
    this.staticTargets = List.copyOf(staticTargets);
    this.discovery = discovery;
    this.tracker = tracker;
    this.publish = publish;
    this.clock = clock;
    this.health = new TargetHealth(config.staleAfter());
    AtomicInteger n = new AtomicInteger();
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "dcgm-scrape-timer"));
    // Discovery asks the API server, which may be slow or away: never on the scrape timer.
    this.finder = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "dcgm-discovery"));
    this.readers =
        Executors.newFixedThreadPool(
            Math.max(1, config.threads()), r -> daemon(r, "dcgm-scrape-" + n.incrementAndGet()));
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(config.timeout())
            .executor(readers)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  public void start() {
    if (discovery != null) {
      finder.execute(this::discoverAndReschedule);
    }
    timer.scheduleAtFixedRate(
        this::scrapeAll, 0, config.interval().toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Finds the exporters, then again after the discovery interval; while none is known, after the
   * scrape interval instead: a monitor that starts before the exporters (or while the API server is
   * slow) would otherwise scrape nothing for a whole discovery interval.
   */
  private void discoverAndReschedule() {
    try {
      discovered = discovery.get();
    } catch (RuntimeException e) {
      // Keep the exporters found last time: the API server being away does not stop them.
      LOG.warnf("dcgm discovery failed, keeping %d targets: %s", discovered.size(), e.toString());
    } finally {
      java.time.Duration next =
          discovered.isEmpty() ? config.interval() : config.discovery().interval();
      try {
        finder.schedule(this::discoverAndReschedule, next.toMillis(), TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException closed) {
        // closing
      }
    }
  }

  /** Static and discovered targets by URL; a static target's node wins. */
  public List<ScrapeTarget> targets() {
    Map<String, ScrapeTarget> all = new LinkedHashMap<>();
    staticTargets.forEach(t -> all.put(t.url(), t));
    discovered.forEach(t -> all.putIfAbsent(t.url(), t));
    return List.copyOf(all.values());
  }

  private void scrapeAll() {
    try {
      List<ScrapeTarget> targets = targets();
      health.retain(
          targets.stream().map(ScrapeTarget::url).collect(java.util.stream.Collectors.toSet()));
      for (ScrapeTarget t : targets) {
        if (inFlight.add(t.url())) {
          scrape(t);
        }
      }
    } catch (RuntimeException e) {
      LOG.errorf(e, "dcgm scrape round failed");
    }
  }

  private void scrape(ScrapeTarget target) {
    Instant start = clock.instant();
    health.attempted(target.url(), target.node().orElse(""), start);
    HttpRequest request;
    try {
      request =
          HttpRequest.newBuilder(URI.create(target.url()))
              .timeout(config.timeout())
              .header("Accept", "text/plain;version=0.0.4;q=1,*/*;q=0.1")
              .GET()
              .build();
    } catch (IllegalArgumentException e) {
      health.failed(target.url(), "bad URL: " + e.getMessage());
      inFlight.remove(target.url());
      return;
    }
    http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .whenComplete(
            (response, error) -> {
              try {
                if (error != null) {
                  health.failed(target.url(), String.valueOf(error.getMessage()));
                } else if (response.statusCode() != 200) {
                  health.failed(target.url(), "HTTP " + response.statusCode());
                } else {
                  accept(target, response.body(), start);
                }
              } catch (RuntimeException e) {
                health.failed(target.url(), e.toString());
              } finally {
                inFlight.remove(target.url());
              }
            });
  }

  /**
   * One good answer: each card becomes a sample read at the scrape's start (or the exporter's own
   * timestamp), published only when fresh.
   */
  void accept(ScrapeTarget target, String body, Instant start) {
    Instant now = clock.instant();
    health.succeeded(target.url(), start);
    PrometheusText.Parsed parsed = PrometheusText.parse(body, DcgmReadings.FIELDS::contains);
    List<GpuSample> fresh = new java.util.ArrayList<>();
    for (GpuReading r : DcgmReadings.of(parsed.samples())) {
      Optional<String> node = target.node().or(r::hostname);
      if (node.isEmpty()) {
        unattributed.incrementAndGet();
        continue;
      }
      Instant time =
          r.timestampMillis().isPresent()
              ? Instant.ofEpochMilli(r.timestampMillis().getAsLong())
              : start;
      String key = node.get() + "#" + r.index() + "/" + r.uuid();
      Optional<GpuSample> sample =
          GpuSampleMapper.toSample(
              node.get(),
              r,
              time,
              tracker.podsOn(node.get(), r.index(), r.uuid()),
              tracker.node(node.get()));
      if (sample.isEmpty()) {
        incomplete.incrementAndGet();
      } else if (!health.fresh(key, time, now)) {
        stale.incrementAndGet();
      } else {
        fresh.add(sample.get());
      }
    }
    if (!fresh.isEmpty()) {
      publish.publish(target, start, fresh);
      published.addAndGet(fresh.size());
    }
  }

  public TargetHealth health() {
    return health;
  }

  public Counts counts() {
    return new Counts(published.get(), stale.get(), unattributed.get(), incomplete.get());
  }

  @Override
  public void close() {
    timer.shutdownNow();
    finder.shutdownNow();
    readers.shutdownNow();
  }
}
