package dev.cotenant.cli;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./cotenant load}: submits jobs to job-api as fast as {@code --concurrency} requests in
 * flight allow (closed loop over Vert.x, one kept-alive HTTP/1.1 connection per slot), and watches
 * cotenant.job-submissions for each accepted job's message. Reports accepted/s, POST latency, the
 * outbox lag (POST sent → message received by a consumer here) and lost or duplicated messages.
 */
@Command(
    name = "load",
    description =
        "Submits jobs to job-api and measures accepted/s, POST latency and the outbox lag to"
            + " cotenant.job-submissions; exit 1 if any message was lost or duplicated.")
final class Load implements java.util.concurrent.Callable<Integer> {
  private static final Pattern JOB_ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");
  private static final byte[] BODY =
      ("{\"name\":\"load\",\"image\":\"ghcr.io/acme/resnet50:1.2\",\"replicas\":1,"
              + "\"resources\":{\"cpuMilli\":1000,\"memoryMiB\":1024,"
              + "\"gpu\":{\"milli\":250,\"memoryMiB\":4000}}}")
          .getBytes(StandardCharsets.UTF_8);

  @Spec CommandSpec spec;

  @Option(names = "--jobs", description = "Jobs to submit (default: as many as --duration allows).")
  Long jobs;

  @Option(
      names = "--concurrency",
      defaultValue = "32",
      description = "Requests in flight (default ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(
      names = "--duration",
      description = "Seconds to measure for, after the warm-up (default: until --jobs are sent).")
  Long durationSeconds;

  @Option(
      names = "--warmup",
      defaultValue = "5",
      description =
          "Seconds of load before measuring starts; their jobs still count for lost and"
              + " duplicated (default ${DEFAULT-VALUE}).")
  long warmupSeconds;

  @Option(names = "--url", description = "job-api base URL (default: the local run's).")
  String url;

  @Option(names = "--kafka", description = "Kafka bootstrap servers (default: the local run's).")
  String kafka;

  @Option(names = "--tenant", defaultValue = "load", description = "Tenant to submit as.")
  String tenant;

  @Option(
      names = "--drain",
      defaultValue = "30",
      description = "Seconds to wait for the last messages before counting them lost.")
  long drainSeconds;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (jobs == null && durationSeconds == null) {
      err.println("cotenant: give --jobs, --duration or both");
      return Cotenant.EXIT_USAGE;
    }
    if (concurrency < 1) {
      err.println("cotenant: --concurrency must be at least 1");
      return Cotenant.EXIT_USAGE;
    }
    Map<String, String> env = Cotenant.launcher().environment();
    URI jobsUri = URI.create((url != null ? url : env.get("COTENANT_API_URL")) + "/api/v1/jobs");
    String bootstrap = kafka != null ? kafka : env.get("COTENANT_KAFKA");
    String token;
    try {
      token = new DevTokens(Cotenant.home()).token(tenant, false, Duration.ofHours(2));
    } catch (IllegalArgumentException | IllegalStateException e) {
      err.println("cotenant: " + e.getMessage());
      return Cotenant.EXIT_USAGE;
    }

    LoadTally tally = new LoadTally();
    Run run = new Run(jobsUri, token, tally);
    try (SubmissionWatcher watcher = new SubmissionWatcher(bootstrap, tally)) {
      out.printf(
          "load: %s, concurrency %d, tenant %s, warm-up %d s, %s%n",
          jobsUri,
          concurrency,
          tenant,
          warmupSeconds,
          durationSeconds != null ? durationSeconds + " s measured" : jobs + " jobs");
      out.flush();
      run.go(out);
      long deadline = System.nanoTime() + Duration.ofSeconds(drainSeconds).toNanos();
      while (tally.missing() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      Thread.sleep(1_000); // a duplicate would come right behind the first copy
    }
    return report(out, run, tally);
  }

  private int report(PrintWriter out, Run run, LoadTally tally) {
    double seconds = run.measuredNanos / 1e9;
    long accepted = run.measuredAccepted.sum();
    out.printf(
        "measured: %.1f s, %d accepted (%.1f/s), %d other answers %s, %d failed requests%n",
        seconds, accepted, accepted / seconds, run.rejected.sum(), run.statuses, run.failed.sum());
    out.println("POST latency ms:        " + percentiles(run.latency));
    out.println("outbox lag ms (recv):   " + percentiles(tally.lag(false)));
    out.println("outbox lag ms (ts):     " + percentiles(tally.lag(true)));
    long lost = tally.missing();
    long duplicated = tally.duplicated();
    out.printf(
        "messages: %d accepted jobs in all, %d lost, %d duplicated%n",
        tally.acceptedCount(), lost, duplicated);
    return lost == 0 && duplicated == 0 && tally.acceptedCount() > 0 ? 0 : Cotenant.EXIT_FAILED;
  }

  private static String percentiles(Histogram h) {
    if (h.getTotalCount() == 0) {
      return "no samples";
    }
    return String.format(
        "p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f  (n=%d)",
        h.getValueAtPercentile(50) / 1000.0,
        h.getValueAtPercentile(90) / 1000.0,
        h.getValueAtPercentile(99) / 1000.0,
        h.getValueAtPercentile(99.9) / 1000.0,
        h.getMaxValue() / 1000.0,
        h.getTotalCount());
  }

  /** The closed loop: {@code concurrency} chains, each sending its next POST when one answers. */
  private final class Run {
    private final URI uri;
    private final String token;
    private final LoadTally tally;
    // One event loop: the client is not what should use the shared cores.
    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    private final HttpClient http;
    final Histogram latency = new ConcurrentHistogram(60_000_000L, 3);
    final LongAdder measuredAccepted = new LongAdder();
    final LongAdder rejected = new LongAdder();
    final LongAdder failed = new LongAdder();
    final Map<Integer, Long> statuses = new ConcurrentHashMap<>();
    private final AtomicLong issued = new AtomicLong();
    private final LongAdder acceptedInAll = new LongAdder();
    private volatile long measureFrom;
    private volatile long measureUntil;
    long measuredNanos;

    Run(URI uri, String token, LoadTally tally) {
      this.uri = uri;
      this.token = token;
      this.tally = tally;
      this.http =
          vertx.createHttpClient(
              new HttpClientOptions()
                  .setKeepAlive(true)
                  .setMaxPoolSize(concurrency)
                  .setConnectTimeout(5_000)
                  .setDefaultHost(uri.getHost())
                  .setDefaultPort(uri.getPort() < 0 ? 80 : uri.getPort()));
    }

    void go(PrintWriter out) throws InterruptedException {
      long start = System.nanoTime();
      measureFrom = start + Duration.ofSeconds(warmupSeconds).toNanos();
      measureUntil =
          durationSeconds == null
              ? Long.MAX_VALUE
              : measureFrom + Duration.ofSeconds(durationSeconds).toNanos();
      @SuppressWarnings("unchecked")
      CompletableFuture<Void>[] chains = new CompletableFuture[concurrency];
      for (int i = 0; i < concurrency; i++) {
        chains[i] = new CompletableFuture<>();
        next(chains[i]);
      }
      long lastReport = start;
      long lastCount = 0;
      while (!CompletableFuture.allOf(chains).isDone()) {
        Thread.sleep(200);
        long now = System.nanoTime();
        if (now - lastReport >= 5_000_000_000L) {
          long count = acceptedInAll.sum();
          out.printf(
              "  %5.0f s  %8.0f accepted/s  (%d in all)%n",
              (now - start) / 1e9, (count - lastCount) / ((now - lastReport) / 1e9), count);
          out.flush();
          lastReport = now;
          lastCount = count;
        }
      }
      long end = Math.min(System.nanoTime(), measureUntil);
      measuredNanos = Math.max(1, end - Math.min(measureFrom, end));
      vertx.close();
    }

    /** Sends one POST on this chain, unless the run is over; the answer sends the next. */
    private void next(CompletableFuture<Void> chain) {
      long now = System.nanoTime();
      if (now >= measureUntil || (jobs != null && issued.getAndIncrement() >= jobs)) {
        chain.complete(null);
        return;
      }
      long sendEpochMillis = System.currentTimeMillis();
      long sendNanos = System.nanoTime();
      http.request(HttpMethod.POST, uri.getRawPath())
          .compose(
              request ->
                  request
                      .putHeader("Authorization", "Bearer " + token)
                      .putHeader("Content-Type", "application/json")
                      .send(Buffer.buffer(BODY))
                      .compose(
                          response ->
                              response.body().map(body -> Map.entry(response.statusCode(), body))))
          .onComplete(
              answer -> {
                long done = System.nanoTime();
                boolean measured = sendNanos >= measureFrom && done <= measureUntil;
                if (answer.failed()) {
                  failed.increment();
                } else if (answer.result().getKey() == 202) {
                  Matcher id = JOB_ID.matcher(answer.result().getValue().toString());
                  if (id.find()) {
                    tally.accepted(
                        id.group(1), new LoadTally.Sent(sendNanos, sendEpochMillis, measured));
                  }
                  acceptedInAll.increment();
                  if (measured) {
                    measuredAccepted.increment();
                    latency.recordValue(Math.min((done - sendNanos) / 1000, 60_000_000L));
                  }
                } else {
                  rejected.increment();
                  statuses.merge(answer.result().getKey(), 1L, Long::sum);
                }
                next(chain);
              });
    }
  }
}
