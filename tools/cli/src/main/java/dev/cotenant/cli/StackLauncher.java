package dev.cotenant.cli;

import dev.cotenant.sim.cluster.ClusterCsv;
import dev.cotenant.testsupport.HealthProbe;
import dev.cotenant.testsupport.Kubeconfig;
import dev.cotenant.testsupport.LogFiles;
import dev.cotenant.testsupport.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Starts, watches and stops the local run: the local stack JVM and the four services, each a
 * background process with its log under {@code home/logs} and its PID under {@code home/run}.
 */
public final class StackLauncher {
  public static final String STACK = "local-stack";
  public static final List<String> SERVICES =
      List.of("job-api", "placement", "monitor", "profiler");

  private final Path root;
  private final Path home;
  private final LaunchPorts ports;
  public static final String ZIPKIN = "zipkin";

  private final Optional<String> spanEndpoint;
  private final Optional<Path> cluster;
  private List<String> simulationArgs = List.of();
  private OptionalDouble speed = OptionalDouble.empty();
  private Optional<Path> interference = Optional.empty();
  private boolean zipkin;

  /**
   * @param spanEndpoint a Zipkin server's {@code /api/v2/spans} the services send their spans to
   *     (empty: tracing off, unless {@link #withZipkin()})
   */
  public StackLauncher(Path root, Path home, LaunchPorts ports, Optional<String> spanEndpoint) {
    this(root, home, ports, spanEndpoint, Optional.empty());
  }

  /**
   * @param cluster the cluster file the local stack's Kubernetes API serves when {@code up} starts
   *     it (empty: local-stack's default cluster)
   */
  public StackLauncher(
      Path root,
      Path home,
      LaunchPorts ports,
      Optional<String> spanEndpoint,
      Optional<Path> cluster) {
    this.root = root.toAbsolutePath().normalize();
    this.home = home.toAbsolutePath().normalize();
    this.ports = ports;
    this.spanEndpoint = spanEndpoint;
    this.cluster = cluster.map(file -> file.toAbsolutePath().normalize());
  }

  /**
   * The simulated cluster's hidden ground truth and speed for the local stack {@code up} starts
   * (empty: local-stack's defaults, seed 001's truth at 100×).
   */
  public StackLauncher simulation(Optional<Path> interference, OptionalDouble speed) {
    return simulation(interference, speed, true);
  }

  /**
   * As {@link #simulation(Optional, OptionalDouble)}; without kubelets bound pods stay Pending, so
   * a benchmark measures the scheduler's path alone, as kube-scheduler's scheduler_perf does.
   */
  public StackLauncher simulation(
      Optional<Path> interference, OptionalDouble speed, boolean kubelets) {
    List<String> args = new ArrayList<>();
    if (!kubelets) {
      args.add("--no-kubelets");
    }
    interference.ifPresent(f -> args.add("--interference=" + f.toAbsolutePath().normalize()));
    speed.ifPresent(x -> args.add("--speed=" + x));
    simulationArgs = List.copyOf(args);
    this.speed = speed;
    this.interference = interference.map(f -> f.toAbsolutePath().normalize());
    return this;
  }

  /**
   * Tracing as {@code ./cotenant} sets it: on by default, into a Zipkin server the run starts
   * beside the services (its UI in {@code status}); {@code COTENANT_TRACING=off} turns it off, an
   * endpoint given to the constructor sends spans there instead.
   */
  public static StackLauncher tracing(StackLauncher launcher, String setting) {
    boolean off = setting != null && setting.strip().equalsIgnoreCase("off");
    if (!off && launcher.spanEndpoint.isEmpty()) {
      launcher.withZipkin();
    }
    return launcher;
  }

  public LaunchPorts ports() {
    return ports;
  }

  /**
   * Seconds between the monitor's scrapes of the simulated exporters. The simulated cluster runs
   * 100 times faster than real time, so the default 5 s would be 500 simulated seconds, longer than
   * many runs, and solo telemetry would rarely be seen: 1 s on small clusters. But every scrape of
   * every node is a page, eight samples on Kafka and work for each reader of them; at 1 s a
   * 1,000-node cluster alone kept both cores of these machines busy (monitor, broker, profiler). So
   * the interval grows with the cluster: about 200 node pages per second at most, i.e. the
   * production default of 5 s at 1,000 nodes, which is what large clusters are started for here
   * (throughput runs, not learning).
   */
  int scrapeSeconds() {
    int nodes;
    try {
      nodes =
          cluster.map(f -> ClusterCsv.read(f).size()).orElse(ClusterCsv.defaultCluster().size());
    } catch (RuntimeException e) {
      // An unreadable file is reported by the stack's own check before anything starts; status
      // and down list components without needing it.
      return 1;
    }
    return Math.max(1, (nodes + 199) / 200);
  }

  /** Also starts a Zipkin server (the tracing UI) and traces the services into it. */
  public StackLauncher withZipkin() {
    zipkin = true;
    return this;
  }

  /** Where the services' spans go, if anywhere. */
  Optional<String> spans() {
    return zipkin
        ? Optional.of("http://127.0.0.1:" + ports.get(ZIPKIN) + "/api/v2/spans")
        : spanEndpoint;
  }

  /**
   * Zipkin's own server from Maven Central (copied by tools/cli's build), its span store in memory:
   * a UI to open, not an archive.
   */
  Component zipkinComponent() {
    int port = ports.get(ZIPKIN);
    return new Component(
        ZIPKIN,
        "http://127.0.0.1:" + port + "/zipkin/",
        URI.create("http://127.0.0.1:" + port + "/health"),
        root.resolve("tools/cli/target/zipkin/zipkin-server.jar"),
        List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
        List.of("--armeria.ports[0].port=" + port, "--armeria.ports[0].ip=127.0.0.1"),
        List.of(ZIPKIN));
  }

  public static Path portsFile(Path home) {
    return home.resolve("run/ports.properties");
  }

  /** The kubeconfig {@code up} writes for kubectl: cluster, user and context {@code cotenant}. */
  public Path kubeconfigFile() {
    return home.resolve("kubeconfig");
  }

  public Path logFile(String name) {
    return home.resolve("logs").resolve(name + ".log");
  }

  private Path pidFile(String name) {
    return home.resolve("run").resolve(name + ".pid");
  }

  /** Records which cluster file the running stack was started with (empty: the default). */
  private Path clusterRecord() {
    return home.resolve("run/cluster");
  }

  /**
   * The cluster file the running (or last started) stack serves; empty for local-stack's default
   * cluster or when nothing was recorded.
   */
  public Optional<Path> runningCluster() {
    try {
      if (!Files.exists(clusterRecord())) {
        return Optional.empty();
      }
      String recorded = Files.readString(clusterRecord()).trim();
      return recorded.isEmpty() ? Optional.empty() : Optional.of(Path.of(recorded));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Records the ground-truth file the running stack was started with (empty: the default). */
  private Path interferenceRecord() {
    return home.resolve("run/interference");
  }

  /** The ground-truth file the running stack's kubelets use; empty for seed 001's default. */
  public Optional<Path> runningInterference() {
    try {
      String recorded =
          Files.exists(interferenceRecord()) ? Files.readString(interferenceRecord()).trim() : "";
      return recorded.isEmpty() ? Optional.empty() : Optional.of(Path.of(recorded));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Records the simulated cluster's speed the running stack was started with. */
  private Path speedRecord() {
    return home.resolve("run/speed");
  }

  /**
   * Simulated seconds per wall second of the running stack's kubelets (recorded when {@code up}
   * started it), else of the stack this launcher would start.
   */
  public double simulatedSpeed() {
    double fresh =
        speed.orElse(Double.parseDouble(dev.cotenant.localstack.LocalStack.DEFAULT_SPEED));
    // A --speed given to a running stack is refused by up, so only a running stack's record counts.
    boolean stackRuns =
        recordedProcess(STACK)
            .filter(
                p -> p.info().commandLine().orElse("").contains("-Dcotenant.component=" + STACK))
            .isPresent();
    if (speed.isPresent() || !stackRuns) {
      return fresh;
    }
    try {
      return Double.parseDouble(Files.readString(speedRecord()).trim());
    } catch (IOException | NumberFormatException e) {
      return fresh; // started before speeds were recorded: local-stack's default
    }
  }

  /** The line a user sees per component, and whether it is up. */
  public record Status(String name, boolean up, String url) {
    @Override
    public String toString() {
      return String.format("%-11s %-4s %s", name, up ? "UP" : "DOWN", url);
    }
  }

  /** Why {@code up} stopped, naming the component and where to look. */
  public static final class LaunchException extends Exception {
    public LaunchException(String message) {
      super(message);
    }
  }

  List<Component> components() {
    List<Component> all = new ArrayList<>();
    List<String> stackArgs =
        new ArrayList<>(
            List.of(
                "--home=" + home,
                "--kafka-port=" + ports.get("kafka"),
                "--kafka-controller-port=" + ports.get("kafka-controller"),
                "--postgres-port=" + ports.get("postgres"),
                "--kube-port=" + ports.get("kube"),
                "--status-port=" + ports.get("stack"),
                "--dcgm-port=" + ports.get("dcgm")));
    cluster.ifPresent(file -> stackArgs.add("--cluster=" + file));
    stackArgs.addAll(simulationArgs);
    all.add(
        new Component(
            STACK,
            "http://127.0.0.1:" + ports.get("stack") + "/health",
            URI.create("http://127.0.0.1:" + ports.get("stack") + "/health"),
            root.resolve("tools/local-stack/target/cotenant-local-stack.jar"),
            // The embedded API holds every stored pod: about 60,000 filled 768 MiB (GC thrash,
            // answers over 5 s).
            List.of("-Xmx1536m", "-XX:+UseSerialGC"),
            stackArgs,
            List.of("kafka", "kafka-controller", "postgres", "kube", "stack")));
    if (zipkin) {
      all.add(zipkinComponent());
    }
    for (String service : SERVICES) {
      int port = ports.get(service);
      // Placement caches every pod and node of the cluster (an informer's store, as
      // kube-scheduler's): tens of thousands of pods need more than the others' heap.
      String heap = service.equals("placement") ? "-Xmx1g" : "-Xmx384m";
      List<String> args = new ArrayList<>(List.of(heap, "-XX:+UseSerialGC"));
      args.add("-Dquarkus.http.port=" + port);
      args.add("-Dkafka.bootstrap.servers=127.0.0.1:" + ports.get("kafka"));
      if (!service.equals("monitor")) {
        // Tokens from ./cotenant token are signed by the key pair made on the first up.
        args.add("-Dmp.jwt.verify.publickey.location=" + new DevTokens(home).publicKey());
      }
      if (service.equals("job-api") || service.equals("profiler")) {
        args.add(
            "-Dquarkus.datasource.reactive.url=postgresql://127.0.0.1:"
                + ports.get("postgres")
                + "/"
                + service.replace('-', '_'));
      }
      if (service.equals("monitor")) {
        args.add("-Dcotenant.monitor.dcgm.interval=PT" + scrapeSeconds() + "S");
      }
      if (service.equals("placement")) {
        // Placement's time constants are real seconds, and the simulated kubelets run `speed`
        // times faster: a pod's serial start (right-sizing) and the price of an unmeasured pair
        // must be in the same wall seconds as the run times it learns, or `auto` would always
        // choose one replica and every unmeasured pair would cost as much as a whole run.
        double x = simulatedSpeed();
        args.add(
            "-Dcotenant.placement.pod-start-seconds="
                + Double.parseDouble(dev.cotenant.localstack.LocalStack.DEFAULT_POD_START_SECONDS)
                    / x);
        args.add(
            "-Dcotenant.placement.uncertainty-penalty="
                + dev.cotenant.placement.EngineConfig.defaults().uncertaintyPenalty() / x);
      }
      if (service.equals("placement") || service.equals("monitor")) {
        // fabric8's own run-time settings: Quarkus fixes its api-server-url at build time.
        args.add("-Dkubernetes.master=http://127.0.0.1:" + ports.get("kube"));
        args.add("-Dkubernetes.auth.tryKubeConfig=false");
        args.add("-Dkubernetes.auth.tryServiceAccount=false");
      }
      spans()
          .ifPresent(
              endpoint -> {
                args.add("-Dquarkus.otel.sdk.disabled=false");
                args.add("-Dcotenant.tracing.zipkin.endpoint=" + endpoint);
                // Spans reach the UI within a second of ending (the SDK's default waits 5 s).
                args.add("-Dquarkus.otel.bsp.schedule.delay=1s");
              });
      if (service.equals("job-api") && zipkin) {
        // The dashboard links each job to its trace in the UI this launcher starts.
        args.add(
            "-Dcotenant.dashboard.trace-search-url=http://127.0.0.1:"
                + ports.get(ZIPKIN)
                + "/zipkin/?annotationQuery=cotenant.job.id%3D{job}");
      }
      all.add(
          new Component(
              service,
              "http://127.0.0.1:" + port,
              URI.create("http://127.0.0.1:" + port + "/q/health/ready"),
              root.resolve("services/" + service + "/target/quarkus-app/quarkus-run.jar"),
              args,
              List.of(),
              List.of(service)));
    }
    return all;
  }

  /**
   * Starts every component not already running and waits until all are healthy. A second call while
   * everything runs changes nothing. If anything fails, what this call started is stopped.
   */
  public List<Status> up(Duration timeout) throws LaunchException, IOException {
    Files.createDirectories(home.resolve("logs"));
    new DevTokens(home).ensureKeys();
    List<Component> toStart = new ArrayList<>();
    for (Component component : components()) {
      if (runningPid(component).isEmpty()) {
        toStart.add(component);
      }
    }
    boolean startsStack = toStart.stream().anyMatch(c -> c.name().equals(STACK));
    if (!startsStack && cluster.isPresent() && !cluster.equals(runningCluster())) {
      // The embedded cluster is fixed at the stack's start; silently keeping the old one would
      // make a benchmark run on the wrong cluster.
      throw new LaunchException(
          "local-stack already runs with "
              + runningCluster().map(Path::toString).orElse("the default cluster")
              + ", not --cluster "
              + cluster.get()
              + "; run ./cotenant down first");
    }
    if (!startsStack && !simulationArgs.isEmpty()) {
      throw new LaunchException(
          "local-stack already runs; --interference, --speed and --no-kubelets apply when up starts it;"
              + " run ./cotenant down first");
    }
    if (toStart.isEmpty()) {
      writeKubeconfig(); // again, in case it was removed while the stack ran
      return status();
    }
    checkArtifacts(toStart);
    checkPorts(toStart);
    ports.save(portsFile(home));
    if (startsStack) {
      Files.createDirectories(clusterRecord().getParent());
      Files.writeString(clusterRecord(), cluster.map(Path::toString).orElse(""));
      Files.writeString(interferenceRecord(), interference.map(Path::toString).orElse(""));
      Files.writeString(
          speedRecord(),
          String.valueOf(
              speed.orElse(Double.parseDouble(dev.cotenant.localstack.LocalStack.DEFAULT_SPEED))));
    }

    Map<Component, Process> started = new LinkedHashMap<>();
    try {
      for (Component component : toStart) {
        started.put(component, start(component));
      }
      awaitHealthy(started, timeout);
      writeKubeconfig();
    } catch (LaunchException | IOException | RuntimeException e) {
      stopAll(new ArrayList<>(started.keySet()));
      stopOrphanedPostgres();
      throw e;
    }
    return status();
  }

  private void writeKubeconfig() throws IOException {
    Kubeconfig.write(kubeconfigFile(), "http://127.0.0.1:" + ports.get("kube"));
  }

  private void checkArtifacts(List<Component> components) throws LaunchException {
    for (Component component : components) {
      if (!Files.exists(component.jar())) {
        throw new LaunchException(
            component.name()
                + " is not built ("
                + root.relativize(component.jar())
                + " is missing); run ./mvnw -DskipTests package");
      }
    }
  }

  private void checkPorts(List<Component> components) throws LaunchException {
    for (Component component : components) {
      for (String name : component.ports()) {
        int port = ports.get(name);
        if (Ports.isTaken(port)) {
          throw new LaunchException(
              "cannot start "
                  + name
                  + ": port "
                  + port
                  + " on 127.0.0.1 is already in use;"
                  + " stop what uses it or set "
                  + LaunchPorts.variable(name)
                  + " to another port");
        }
      }
    }
  }

  private Process start(Component component) throws IOException {
    List<String> command = new ArrayList<>();
    // A new session: the process outlives the launcher and ignores the terminal's hang-up.
    if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
      command.add("/usr/bin/setsid");
    }
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add(component.marker());
    command.addAll(component.javaOptions());
    command.add("-jar");
    command.add(component.jar().toString());
    command.addAll(component.programArgs());
    Path log = logFile(component.name());
    Files.writeString(
        log,
        "=== " + java.time.Instant.now() + " " + String.join(" ", command) + "\n",
        StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
    Process process =
        new ProcessBuilder(command)
            .directory(root.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .start();
    Files.createDirectories(pidFile(component.name()).getParent());
    Files.writeString(pidFile(component.name()), String.valueOf(process.pid()));
    return process;
  }

  private void awaitHealthy(Map<Component, Process> started, Duration timeout)
      throws LaunchException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Component> waiting = new ArrayList<>(started.keySet());
    while (!waiting.isEmpty()) {
      for (var it = waiting.iterator(); it.hasNext(); ) {
        Component component = it.next();
        Process process = started.get(component);
        if (!process.isAlive()) {
          throw new LaunchException(
              component.name()
                  + " failed to start (exit code "
                  + process.exitValue()
                  + "); see "
                  + relative(logFile(component.name()))
                  + "\n"
                  + LogFiles.tail(logFile(component.name()), 15));
        }
        if (healthy(component)) {
          it.remove();
        }
      }
      if (System.nanoTime() > deadline) {
        Component first = waiting.get(0);
        throw new LaunchException(
            first.name()
                + " was not healthy within "
                + timeout.toSeconds()
                + " s; see "
                + relative(logFile(first.name()))
                + "\n"
                + LogFiles.tail(logFile(first.name()), 15));
      }
      sleep(200);
    }
  }

  private boolean healthy(Component component) {
    return HealthProbe.read(component.health()).isUp();
  }

  /** One line per part: the stack's Kafka, PostgreSQL and Kubernetes API, then each service. */
  public List<Status> status() {
    List<Status> lines = new ArrayList<>();
    Component stack = components().get(0);
    Map<String, String> parts =
        runningPid(stack).isPresent() ? HealthProbe.read(stack.health()).checks() : Map.of();
    lines.add(part(parts, "kafka", "127.0.0.1:" + ports.get("kafka")));
    lines.add(part(parts, "postgres", "postgresql://127.0.0.1:" + ports.get("postgres")));
    lines.add(part(parts, "kubernetes", "http://127.0.0.1:" + ports.get("kube")));
    for (Component service : components().subList(1, components().size())) {
      boolean up = runningPid(service).isPresent() && healthy(service);
      lines.add(new Status(service.name(), up, service.url()));
    }
    return lines;
  }

  private static Status part(Map<String, String> checks, String name, String url) {
    return new Status(name, "UP".equals(checks.get(name)), url);
  }

  /**
   * Stops exactly what {@code up} started, services first: SIGTERM, then SIGKILL after 20 s. A
   * recorded PID that now belongs to another program is left alone.
   */
  public List<String> down() {
    List<String> stopped = new ArrayList<>();
    List<Component> all = components();
    // Services first, all at once (they are clients of the stack), then the stack itself.
    // Zipkin too when this launcher would not start it: tracing may have been on at up.
    List<Component> clients = new ArrayList<>(all.subList(1, all.size()));
    if (!zipkin) {
      clients.add(zipkinComponent());
    }
    stopped.addAll(stopAll(clients));
    stopped.addAll(stopAll(all.subList(0, 1)));
    if (stopOrphanedPostgres()) {
      stopped.add("postgres");
    }
    try {
      Files.deleteIfExists(portsFile(home));
      Files.deleteIfExists(clusterRecord());
      Files.deleteIfExists(speedRecord());
      Files.deleteIfExists(interferenceRecord());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return stopped;
  }

  /** Every process of the run with its resident memory in KiB (PostgreSQL with its backends). */
  public Map<String, Long> residentKib() {
    Map<String, Long> rss = new LinkedHashMap<>();
    for (Component component : components()) {
      runningPid(component).ifPresent(pid -> rss.put(component.name(), rssKib(pid)));
    }
    postgresPid()
        .ifPresent(
            postmaster ->
                rss.put(
                    "postgres",
                    Stream.concat(Stream.of(postmaster), postmaster.descendants())
                        .mapToLong(p -> rssKib(p.pid()))
                        .sum()));
    return rss;
  }

  private static long rssKib(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
    return 0;
  }

  public Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("COTENANT_API_URL", "http://127.0.0.1:" + ports.get("job-api"));
    env.put("COTENANT_KAFKA", "127.0.0.1:" + ports.get("kafka"));
    env.put("COTENANT_KUBE_URL", "http://127.0.0.1:" + ports.get("kube"));
    env.put("KUBECONFIG", kubeconfigFile().toString());
    env.put(
        "COTENANT_PG_URL",
        "postgresql://cotenant:cotenant@127.0.0.1:" + ports.get("postgres") + "/job_api");
    env.put("COTENANT_PLACEMENT_URL", "http://127.0.0.1:" + ports.get("placement"));
    env.put("COTENANT_MONITOR_URL", "http://127.0.0.1:" + ports.get("monitor"));
    env.put("COTENANT_PROFILER_URL", "http://127.0.0.1:" + ports.get("profiler"));
    env.put("COTENANT_HOME", home.toString());
    return env;
  }

  public List<String> componentNames() {
    List<String> names = new ArrayList<>(components().stream().map(Component::name).toList());
    names.add("postgres");
    return names;
  }

  private Optional<Long> runningPid(Component component) {
    return recordedProcess(component.name())
        .filter(p -> p.info().commandLine().orElse("").contains(component.marker()))
        .map(ProcessHandle::pid);
  }

  private Optional<ProcessHandle> recordedProcess(String name) {
    Path file = pidFile(name);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      long pid = Long.parseLong(Files.readString(file).trim());
      return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private Optional<ProcessHandle> postgresPid() {
    Path dataDir = home.resolve("data/postgres");
    return recordedProcess("postgres")
        .filter(p -> p.info().commandLine().orElse("").contains(dataDir.toString()));
  }

  /** The postmaster stops with the stack; this catches one left behind by a killed stack JVM. */
  private boolean stopOrphanedPostgres() {
    Optional<ProcessHandle> postmaster = postgresPid();
    postmaster.ifPresent(
        p -> {
          signal(p.pid(), "INT"); // PostgreSQL's fast shutdown
          awaitExit(p, Duration.ofSeconds(20));
        });
    deleteQuietly(pidFile("postgres"));
    return postmaster.isPresent();
  }

  /** SIGTERM to each that is still ours, then waits for all; SIGKILL after 20 s. */
  private List<String> stopAll(List<Component> components) {
    Map<String, ProcessHandle> running = new LinkedHashMap<>();
    for (Component component : components) {
      recordedProcess(component.name())
          .filter(p -> p.info().commandLine().orElse("").contains(component.marker()))
          .ifPresent(p -> running.put(component.name(), p));
    }
    running.values().forEach(ProcessHandle::destroy);
    running.values().forEach(p -> awaitExit(p, Duration.ofSeconds(20)));
    components.forEach(c -> deleteQuietly(pidFile(c.name())));
    return new ArrayList<>(running.keySet());
  }

  private static void awaitExit(ProcessHandle process, Duration timeout) {
    try {
      process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      process.destroyForcibly();
    }
  }

  private static void signal(long pid, String signal) {
    try {
      new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).start().waitFor();
    } catch (IOException e) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // A stale PID file is harmless: liveness and the marker are checked before any use.
    }
  }

  private String relative(Path path) {
    return path.startsWith(root) ? root.relativize(path).toString() : path.toString();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
