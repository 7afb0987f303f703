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
import java.util.concurrent.atomic.AtomicInteger;
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
 * {@code ./cotenant load}: submits jobs to job-api over Vert.x (one kept-alive HTTP/1.1 connection
 * per slot), either as fast as {@code --concurrency} requests in flight allow (closed loop) or at
 * {@code --rate} per second (open loop, the concurrency as a cap). With {@code --until accepted} it
 * watches cotenant.job-submissions and reports accepted/s, POST latency and the outbox lag; with
 * {@code --until bound} it watches cotenant.job-events for each job's PodBound events and reports
 * bound/s, the submit→bound latency and lost or duplicated bindings.
 */
@Command(
    name = "load",
    description =
        "Submits jobs to job-api and measures accepted/s and the outbox lag (--until accepted) or"
            + " jobs bound/s and the submit→bound latency (--until bound); exit 1 if any job was"
            + " lost or duplicated.")
final class Load implements java.util.concurrent.Callable<Integer> {
  private static final Pattern JOB_ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

  /** What a run waits for after each POST. */
  enum Until {
    accepted,
    bound
  }

  @Spec CommandSpec spec;

  @Option(names = "--jobs", description = "Jobs to submit (default: as many as --duration allows).")
  Long jobs;

  @Option(
      names = "--concurrency",
      defaultValue = "32",
      description = "Requests in flight; with --rate, the cap on them (default ${DEFAULT-VALUE}).")
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

  @Option(
      names = "--until",
      defaultValue = "accepted",
      description =
          "accepted: follow each job to its message on cotenant.job-submissions; bound: to a"
              + " PodBound for each of its pods on cotenant.job-events (default ${DEFAULT-VALUE}).")
  Until until;

  @Option(
      names = "--rate",
      description =
          "Open loop: submissions per second, spread evenly (default: closed loop, each answer"
              + " sends the next).")
  Double rate;

  @Option(names = "--url", description = "job-api base URL (default: the local run's).")
  String url;

  @Option(names = "--kafka", description = "Kafka bootstrap servers (default: the local run's).")
  String kafka;

  @Option(names = "--tenant", defaultValue = "load", description = "Tenant to submit as.")
  String tenant;

  @Option(
      names = {"--grace", "--drain"},
      defaultValue = "30",
      description =
          "Seconds to wait after the last POST for the last messages or bindings before counting"
              + " them lost (default ${DEFAULT-VALUE}).")
  long graceSeconds;

  @Option(names = "--replicas", description = "Pods per job (default 1).")
  Integer replicas;

  @Option(
      names = "--cpu-milli",
      description = "CPU per pod in millicores (default 1000; with --until bound 100).")
  Long cpuMilli;

  @Option(
      names = "--memory-mib",
      description = "Memory per pod in MiB (default 1024; with --until bound 128).")
  Long memoryMiB;

  @Option(
      names = "--gpu-milli",
      description = "GPU share per pod, 0 for none (default 250; with --until bound 100).")
  Integer gpuMilli;

  @Option(
      names = "--gpu-memory-mib",
      description = "GPU memory per pod in MiB (default 4000; with --until bound 256).")
  Long gpuMemoryMiB;

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
    if (rate != null && !(rate > 0 && rate <= 1_000_000)) {
      err.println("cotenant: --rate must be a number of submissions per second above 0");
      return Cotenant.EXIT_USAGE;
    }
    if (replicas != null && replicas < 1) {
      err.println("cotenant: --replicas must be at least 1");
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
    return until == Until.bound
        ? untilBound(out, jobsUri, bootstrap, token)
        : untilAccepted(out, jobsUri, bootstrap, token);
  }

  private int untilAccepted(PrintWriter out, URI jobsUri, String bootstrap, String token)
      throws Exception {
    LoadTally tally = new LoadTally();
    Run run =
        new Run(
            jobsUri,
            token,
            body(1000, 1024, 250, 4000),
            (id, sendNanos, sendEpochMillis, measured) ->
                tally.accepted(id, new LoadTally.Sent(sendNanos, sendEpochMillis, measured)));
    try (SubmissionWatcher watcher = new SubmissionWatcher(bootstrap, tally)) {
      printStart(out, jobsUri);
      run.go(out);
      long deadline = System.nanoTime() + Duration.ofSeconds(graceSeconds).toNanos();
      while (tally.missing() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      Thread.sleep(1_000); // a duplicate would come right behind the first copy
    }
    printMeasured(out, run);
    out.println("outbox lag ms (recv):   " + percentiles(tally.lag(false)));
    out.println("outbox lag ms (ts):     " + percentiles(tally.lag(true)));
    long lost = tally.missing();
    long duplicated = tally.duplicated();
    out.printf(
        "messages: %d accepted jobs in all, %d lost, %d duplicated%n",
        tally.acceptedCount(), lost, duplicated);
    return lost == 0 && duplicated == 0 && tally.acceptedCount() > 0 ? 0 : Cotenant.EXIT_FAILED;
  }

  private int untilBound(PrintWriter out, URI jobsUri, String bootstrap, String token)
      throws Exception {
    BoundTally tally = new BoundTally();
    int pods = replicas != null ? replicas : 1;
    Run run =
        new Run(
            jobsUri,
            token,
            body(100, 128, 100, 256),
            (id, sendNanos, sendEpochMillis, measured) ->
                tally.accepted(id, pods, sendNanos, measured));
    long malformed;
    try (BoundWatcher watcher = new BoundWatcher(bootstrap, tally)) {
      printStart(out, jobsUri);
      run.go(out);
      long deadline = System.nanoTime() + Duration.ofSeconds(graceSeconds).toNanos();
      long lastReport = System.nanoTime();
      while (tally.unbound() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(100);
        if (System.nanoTime() - lastReport >= 5_000_000_000L) {
          out.printf(
              "  grace: %d of %d jobs not bound yet%n", tally.unbound(), tally.acceptedCount());
          out.flush();
          lastReport = System.nanoTime();
        }
      }
      Thread.sleep(1_000); // a second binding would come right behind the first
      malformed = watcher.malformed();
    }
    BoundTally.Summary s = tally.summary(run.measureFrom, run.measureEnd);
    printMeasured(out, run);
    out.printf(
        java.util.Locale.ROOT,
        "submit→bound ms:        p50 %.2f  p99 %.2f  max %.2f  (n=%d)%n",
        s.percentileMillis(50),
        s.percentileMillis(99),
        s.maxMillis(),
        s.latencyMicros().getTotalCount());
    out.printf(
        "jobs: %d accepted in all, %d bound (%d inside the measured window), %d lost; pods: %d"
            + " bound by more than one distinct event, %d not the job's; %d malformed PodBound"
            + " records%n",
        s.accepted(),
        s.bound(),
        s.boundInWindow(),
        s.lost(),
        s.reboundPods(),
        s.foreignPods(),
        malformed);
    out.println(s.line());
    return s.lost() == 0 && s.duplicated() == 0 && s.accepted() > 0 ? 0 : Cotenant.EXIT_FAILED;
  }

  private void printStart(PrintWriter out, URI jobsUri) {
    out.printf(
        "load: %s until %s, %s, concurrency %d, tenant %s, warm-up %d s, %s%n",
        jobsUri,
        until,
        rate == null ? "closed loop" : String.format("open loop at %s/s", rate),
        concurrency,
        tenant,
        warmupSeconds,
        durationSeconds != null ? durationSeconds + " s measured" : jobs + " jobs");
    out.flush();
  }

  private void printMeasured(PrintWriter out, Run run) {
    double seconds = run.measuredNanos / 1e9;
    long accepted = run.measuredAccepted.sum();
    out.printf(
        "measured: %.1f s, %d accepted (%.1f/s), %d other answers %s, %d failed requests%n",
        seconds, accepted, accepted / seconds, run.rejected.sum(), run.statuses, run.failed.sum());
    if (rate != null) {
      out.printf(
          "open loop: target %.1f/s; %d sends more than 10 ms behind schedule (max %.1f ms):"
              + " the --concurrency cap was reached or the client fell behind%n",
          rate, run.lateSends.sum(), run.maxLateNanos.get() / 1e6);
    }
    out.println("POST latency ms:        " + percentiles(run.latency));
  }

  /** The job every POST submits: the options where given, else this mode's defaults. */
  private byte[] body(long cpu, long memory, int gpu, long gpuMemory) {
    int gpuShare = gpuMilli != null ? gpuMilli : gpu;
    String gpuPart =
        gpuShare == 0
            ? ""
            : String.format(
                ",\"gpu\":{\"milli\":%d,\"memoryMiB\":%d}",
                gpuShare, gpuMemoryMiB != null ? gpuMemoryMiB : gpuMemory);
    return String.format(
            "{\"name\":\"load\",\"image\":\"ghcr.io/acme/resnet50:1.2\",\"replicas\":%d,"
                + "\"resources\":{\"cpuMilli\":%d,\"memoryMiB\":%d%s}}",
            replicas != null ? replicas : 1,
            cpuMilli != null ? cpuMilli : cpu,
            memoryMiB != null ? memoryMiB : memory,
            gpuPart)
        .getBytes(StandardCharsets.UTF_8);
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

  /** Told of every 202 with the job id from its body. */
  @FunctionalInterface
  interface AcceptListener {
    void accepted(String jobId, long sendNanos, long sendEpochMillis, boolean measured);
  }

  /**
   * The submissions: {@code concurrency} closed-loop chains, each sending its next POST when one
   * answers, or with {@code --rate} an open loop that sends on a fixed schedule while fewer than
   * {@code concurrency} are in flight (a send held back by the cap goes as soon as a slot frees).
   */
  private final class Run {
    private final URI uri;
    private final String token;
    private final byte[] body;
    private final AcceptListener listener;
    // One event loop: the client is not what should use the shared cores. Every callback and
    // the open loop's timer run on it.
    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    private final HttpClient http;
    final Histogram latency = new ConcurrentHistogram(60_000_000L, 3);
    final LongAdder measuredAccepted = new LongAdder();
    final LongAdder rejected = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder lateSends = new LongAdder();
    final AtomicLong maxLateNanos = new AtomicLong();
    final Map<Integer, Long> statuses = new ConcurrentHashMap<>();
    private final AtomicLong issued = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LongAdder acceptedInAll = new LongAdder();
    private final CompletableFuture<Void> openLoopDone = new CompletableFuture<>();
    private volatile long start;
    // The open loop's schedule starts at its first timer tick, not before the event loop runs.
    private long scheduleStart = Long.MIN_VALUE;
    volatile long measureFrom;
    private volatile long measureUntil;

    /** When the measured window ended: its planned end, or the last answer if that came first. */
    long measureEnd;

    long measuredNanos;

    Run(URI uri, String token, byte[] body, AcceptListener listener) {
      this.uri = uri;
      this.token = token;
      this.body = body;
      this.listener = listener;
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
      start = System.nanoTime();
      measureFrom = start + Duration.ofSeconds(warmupSeconds).toNanos();
      measureUntil =
          durationSeconds == null
              ? Long.MAX_VALUE
              : measureFrom + Duration.ofSeconds(durationSeconds).toNanos();
      CompletableFuture<Void> done;
      if (rate == null) {
        @SuppressWarnings("unchecked")
        CompletableFuture<Void>[] chains = new CompletableFuture[concurrency];
        for (int i = 0; i < concurrency; i++) {
          chains[i] = new CompletableFuture<>();
          next(chains[i]);
        }
        done = CompletableFuture.allOf(chains);
      } else {
        // Vert.x timers tick at most every millisecond; each tick sends all that are due.
        long timer = vertx.setPeriodic(1, id -> pump());
        done = openLoopDone.whenComplete((v, e) -> vertx.cancelTimer(timer));
      }
      long lastReport = start;
      long lastCount = 0;
      while (!done.isDone()) {
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
      measureEnd = Math.min(System.nanoTime(), measureUntil);
      measuredNanos = Math.max(1, measureEnd - Math.min(measureFrom, measureEnd));
      vertx.close();
    }

    private boolean over(long now, long sent) {
      return now >= measureUntil || (jobs != null && sent >= jobs);
    }

    /** Closed loop: sends one POST on this chain, unless the run is over; the answer sends on. */
    private void next(CompletableFuture<Void> chain) {
      if (over(System.nanoTime(), issued.getAndIncrement())) {
        chain.complete(null);
        return;
      }
      send(() -> next(chain));
    }

    /** Open loop: sends every POST that is due by now while the cap allows. */
    private void pump() {
      long now = System.nanoTime();
      if (over(now, issued.get())) {
        if (inFlight.get() == 0) {
          openLoopDone.complete(null);
        }
        return;
      }
      if (scheduleStart == Long.MIN_VALUE) {
        scheduleStart = now;
      }
      long due = (long) ((now - scheduleStart) / 1e9 * rate) + 1; // the first goes at once
      if (jobs != null) {
        due = Math.min(due, jobs);
      }
      while (issued.get() < due && inFlight.get() < concurrency) {
        long index = issued.getAndIncrement();
        long late = now - (scheduleStart + (long) (index * 1e9 / rate));
        if (late > 10_000_000L) {
          lateSends.increment();
        }
        maxLateNanos.accumulateAndGet(late, Math::max);
        inFlight.incrementAndGet();
        send(
            () -> {
              inFlight.decrementAndGet();
              pump();
            });
      }
    }

    /** One POST; records its answer, then runs {@code then}. */
    private void send(Runnable then) {
      long sendEpochMillis = System.currentTimeMillis();
      long sendNanos = System.nanoTime();
      http.request(HttpMethod.POST, uri.getRawPath())
          .compose(
              request ->
                  request
                      .putHeader("Authorization", "Bearer " + token)
                      .putHeader("Content-Type", "application/json")
                      .send(Buffer.buffer(body))
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
                    listener.accepted(id.group(1), sendNanos, sendEpochMillis, measured);
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
                then.run();
              });
    }
  }
}
