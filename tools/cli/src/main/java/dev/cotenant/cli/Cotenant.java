package dev.cotenant.cli;

import dev.cotenant.interference.FileFormatException;
import dev.cotenant.interference.InterferenceFile;
import dev.cotenant.sim.cluster.ClusterCsv;
import dev.cotenant.sim.cluster.ClusterFormatException;
import dev.cotenant.sim.cluster.NodeSpec;
import dev.cotenant.testsupport.LogFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The {@code ./cotenant} command: runs, inspects and stops the local Cotenant. */
@Command(
    name = "cotenant",
    mixinStandardHelpOptions = true,
    version = "cotenant 0.1.0",
    description =
        "Interference-aware job placement for shared GPU clusters: the local run and offline"
            + " evaluation. (./cotenant bench placement runs the engine benchmark.)",
    subcommands = {
      Cotenant.Up.class,
      Cotenant.Status.class,
      Cotenant.Down.class,
      Cotenant.Env.class,
      Cotenant.Logs.class,
      Cotenant.Token.class,
      DashboardCommand.class,
      Load.class,
      ClusterCommand.class,
      NodeCommand.class,
      DemoCommand.class,
      dev.cotenant.eval.EvalCommand.class
    })
public final class Cotenant implements Callable<Integer> {
  static final int EXIT_FAILED = 1;
  static final int EXIT_USAGE = 2;

  @Spec CommandSpec spec;

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true"); // eval draws its charts off-screen
    System.exit(run(args));
  }

  static int run(String... args) {
    return new CommandLine(new Cotenant()).execute(args);
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return EXIT_USAGE;
  }

  /** Where the checkout is (the launcher script passes it) and where the run keeps its state. */
  static Path root() {
    return Path.of(System.getProperty("cotenant.root", ".")).toAbsolutePath().normalize();
  }

  static Path home() {
    String configured = System.getProperty("cotenant.home", System.getenv("COTENANT_HOME"));
    return configured == null || configured.isBlank()
        ? root().resolve(".cotenant")
        : Path.of(configured).toAbsolutePath();
  }

  static StackLauncher launcher() throws IOException {
    return launcher(Optional.empty());
  }

  static StackLauncher launcher(Optional<Path> cluster) throws IOException {
    Path home = home();
    LaunchPorts ports = LaunchPorts.load(StackLauncher.portsFile(home), System.getenv());
    return StackLauncher.tracing(
        new StackLauncher(
            root(),
            home,
            ports,
            Optional.ofNullable(System.getenv("COTENANT_TRACING_ENDPOINT"))
                .filter(e -> !e.isBlank()),
            cluster),
        System.getenv("COTENANT_TRACING"));
  }

  /** {@code cluster: N nodes, G GPUs (FILE)} for a cluster file, or the default cluster. */
  static String describeCluster(Optional<Path> file) {
    List<NodeSpec> nodes = file.map(ClusterCsv::read).orElseGet(ClusterCsv::defaultCluster);
    long gpus = nodes.stream().mapToLong(NodeSpec::numGpu).sum();
    return String.format(
        "cluster: %d nodes, %d GPUs (%s)",
        nodes.size(), gpus, file.map(Path::toString).orElse("local-stack's default"));
  }

  static void printStatus(PrintWriter out, List<StackLauncher.Status> lines) {
    lines.forEach(line -> out.println(line));
  }

  static void printMemory(PrintWriter out, Map<String, Long> rssKib) {
    long total = rssKib.values().stream().mapToLong(Long::longValue).sum();
    StringBuilder parts = new StringBuilder();
    rssKib.forEach((name, kib) -> parts.append(String.format(" %s=%d", name, kib / 1024)));
    out.printf("memory: %d MiB RSS in all (MiB:%s)%n", total / 1024, parts);
  }

  @Command(
      name = "up",
      description = "Starts the local stack and the four services; waits until all are healthy.")
  static final class Up implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--timeout",
        defaultValue = "120",
        description = "Seconds to wait for health (default ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Option(
        names = "--cluster",
        paramLabel = "C.csv",
        description =
            "Cluster file the embedded Kubernetes API serves (default: local-stack's two nodes);"
                + " see ./cotenant cluster generate.")
    Path cluster;

    @Option(
        names = "--interference",
        paramLabel = "I.json",
        description =
            "Hidden ground truth the simulated kubelets run pods by (cotenant.interference/v1;"
                + " default: seed 001's).")
    Path interference;

    @Option(
        names = "--speed",
        paramLabel = "X",
        description = "Simulated seconds per wall second (default 100: 1 s = 10 ms).")
    Double speed;

    @Option(
        names = "--no-kubelets",
        description =
            "Run no simulated kubelets or DCGM exporters: bound pods stay Pending (the"
                + " scheduler's path alone, for load --until bound).")
    boolean noKubelets;

    @Override
    public Integer call() throws IOException {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      Optional<Path> truth =
          Optional.ofNullable(interference).map(file -> file.toAbsolutePath().normalize());
      try {
        truth.ifPresent(InterferenceFile::read); // a bad file fails before anything starts
      } catch (FileFormatException | java.io.UncheckedIOException e) {
        err.println("cotenant: --interference: " + e.getMessage());
        return EXIT_USAGE;
      }
      if (speed != null && !(speed > 0 && Double.isFinite(speed))) {
        err.println("cotenant: --speed must be a positive number, got " + speed);
        return EXIT_USAGE;
      }
      Optional<Path> clusterFile =
          Optional.ofNullable(cluster).map(file -> file.toAbsolutePath().normalize());
      String clusterLine;
      try {
        if (clusterFile.isPresent() && !Files.isRegularFile(clusterFile.get())) {
          err.println("cotenant: --cluster: no such file: " + clusterFile.get());
          return EXIT_USAGE;
        }
        // Read here too, so a malformed file fails before anything starts, naming its line.
        clusterLine = describeCluster(clusterFile);
      } catch (ClusterFormatException | java.io.UncheckedIOException e) {
        err.println("cotenant: --cluster: " + e.getMessage());
        return EXIT_USAGE;
      }
      StackLauncher launcher;
      try {
        // A fresh start takes its ports from the environment; a running one keeps its own.
        OptionalDouble simulatedSpeed =
            speed == null ? OptionalDouble.empty() : OptionalDouble.of(speed);
        launcher = launcher(clusterFile).simulation(truth, simulatedSpeed, !noKubelets);
      } catch (IllegalArgumentException e) {
        err.println("cotenant: " + e.getMessage());
        return EXIT_USAGE;
      }
      long t0 = System.nanoTime();
      try {
        List<StackLauncher.Status> lines = launcher.up(Duration.ofSeconds(timeoutSeconds));
        printStatus(out, lines);
        if (clusterFile.isEmpty()) {
          // A second up without --cluster keeps whatever the running stack was started with.
          clusterLine = clusterLine(launcher);
        }
        out.println(clusterLine);
        out.println("kubeconfig: " + launcher.kubeconfigFile() + " (kubectl --kubeconfig FILE)");
        out.println(
            "dashboard: http://127.0.0.1:"
                + launcher.ports().get("job-api")
                + "/dashboard/ (./cotenant dashboard prints it signed in)");
        out.printf("all components healthy in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        printMemory(out, launcher.residentKib());
        return lines.stream().allMatch(StackLauncher.Status::up) ? 0 : EXIT_FAILED;
      } catch (StackLauncher.LaunchException e) {
        err.println("cotenant: " + e.getMessage());
        return EXIT_FAILED;
      }
    }
  }

  /** The running stack's cluster, or why it cannot be described (its file changed or went). */
  static String clusterLine(StackLauncher launcher) {
    Optional<Path> file = launcher.runningCluster();
    try {
      return describeCluster(file);
    } catch (ClusterFormatException | java.io.UncheckedIOException e) {
      return "cluster: " + file.map(Path::toString).orElse("?") + " (cannot read it now)";
    }
  }

  @Command(name = "status", description = "One line per component: NAME UP|DOWN URL.")
  static final class Status implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--memory", description = "Also print the resident memory of each process.")
    boolean memory;

    @Override
    public Integer call() throws IOException {
      StackLauncher launcher = launcher();
      List<StackLauncher.Status> lines = launcher.status();
      printStatus(spec.commandLine().getOut(), lines);
      if (lines.stream().anyMatch(line -> line.name().equals("kubernetes") && line.up())) {
        spec.commandLine().getOut().println(clusterLine(launcher));
      }
      if (memory) {
        printMemory(spec.commandLine().getOut(), launcher.residentKib());
      }
      return lines.stream().allMatch(StackLauncher.Status::up) ? 0 : 3;
    }
  }

  @Command(name = "down", description = "Stops exactly the processes that up started.")
  static final class Down implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      List<String> stopped = launcher().down();
      spec.commandLine()
          .getOut()
          .println(
              stopped.isEmpty() ? "nothing was running" : "stopped " + String.join(", ", stopped));
      return 0;
    }
  }

  @Command(
      name = "env",
      description =
          "KEY=VALUE lines for eval: COTENANT_API_URL, COTENANT_KAFKA, …, KUBECONFIG (the"
              + " kubeconfig up writes; export it for kubectl).")
  static final class Env implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      launcher().environment().forEach((k, v) -> spec.commandLine().getOut().println(k + "=" + v));
      return 0;
    }
  }

  @Command(
      name = "logs",
      description = "Prints a component's log (local-stack, postgres or a service).")
  static final class Logs implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "NAME")
    String name;

    @Option(
        names = {"-n", "--lines"},
        defaultValue = "200")
    int lines;

    @Override
    public Integer call() throws IOException {
      StackLauncher launcher = launcher();
      if (!launcher.componentNames().contains(name)) {
        spec.commandLine()
            .getErr()
            .println(
                "cotenant: no component named '"
                    + name
                    + "'; one of "
                    + String.join(", ", launcher.componentNames()));
        return EXIT_USAGE;
      }
      Path log = launcher.logFile(name);
      if (!Files.exists(log)) {
        spec.commandLine().getErr().println("cotenant: " + name + " has no log yet (" + log + ")");
        return EXIT_FAILED;
      }
      spec.commandLine().getOut().println(LogFiles.tail(log, lines));
      return 0;
    }
  }

  @Command(
      name = "token",
      description =
          "Prints a bearer token for the local job-api (signed by the key pair of the first up).")
  static final class Token implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "TENANT", description = "The tenant the token acts for.")
    String tenant;

    @Option(names = "--admin", description = "Also grant the admin role (sees every tenant).")
    boolean admin;

    @Option(
        names = "--ttl-hours",
        defaultValue = "24",
        description = "Hours until it expires (default ${DEFAULT-VALUE}).")
    long ttlHours;

    @Override
    public Integer call() throws IOException {
      try {
        spec.commandLine()
            .getOut()
            .println(new DevTokens(home()).token(tenant, admin, Duration.ofHours(ttlHours)));
        return 0;
      } catch (IllegalArgumentException | IllegalStateException e) {
        spec.commandLine().getErr().println("cotenant: " + e.getMessage());
        return EXIT_USAGE;
      }
    }
  }
}
