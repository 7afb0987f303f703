package dev.cotenant.cli;

import dev.cotenant.eval.Seed000;
import dev.cotenant.eval.scenario.Seed001;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cotenant demo}: both seed experiments live on the running stack, through the REST API,
 * measured from the services' events.
 */
@Command(
    name = "demo",
    description = {
      "On the running stack (./cotenant up), submits seed 001's workload through the REST API under"
          + " binpack, standalone, loadbalance and, after a profiling phase, interference-aware;"
          + " then seed 000's fan-out for N = 1, 2, 3, 10, 20, 30 and auto. Prints a table per"
          + " experiment beside the seed's published figures, from the services' events only;"
          + " writes seed001.svg, seed000.svg and demo.json."
    })
final class DemoCommand implements Callable<Integer> {
  /** Exit code when the stack is down or serves another cluster (as status's). */
  static final int EXIT_STACK = 3;

  static final String TENANT = "demo";

  @Spec CommandSpec spec;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Where the charts and demo.json go (default: .cotenant/demo under the home).")
  Path out;

  @Option(
      names = "--only",
      paramLabel = "seed001|seed000",
      description = "Run one experiment only.")
  String only;

  @Option(
      names = "--timeout",
      paramLabel = "S",
      defaultValue = "900",
      description = "Seconds the whole demo may take (default ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  @Option(
      names = "--quick",
      description = "Seed 000 for N = 1 and 10 only (and auto): for the end-to-end test.")
  boolean quick;

  @Override
  public Integer call() throws Exception {
    PrintWriter w = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (only != null && !List.of("seed001", "seed000").contains(only)) {
      err.println("cotenant demo: --only must be seed001 or seed000, got '" + only + "'");
      return Cotenant.EXIT_USAGE;
    }
    StackLauncher launcher = Cotenant.launcher();
    List<StackLauncher.Status> status = launcher.status();
    // Zipkin is not needed: the demo reads events, not traces.
    List<String> down =
        status.stream()
            .filter(s -> !s.up() && !s.name().equals(StackLauncher.ZIPKIN))
            .map(StackLauncher.Status::name)
            .toList();
    if (!down.isEmpty()) {
      err.println(
          "cotenant demo: the stack is not running ("
              + String.join(", ", down)
              + " down); start it with ./cotenant up, then run ./cotenant demo again");
      return EXIT_STACK;
    }
    Optional<String> wrong = wrongStack(launcher);
    if (wrong.isPresent()) {
      err.println("cotenant demo: " + wrong.get());
      return EXIT_STACK;
    }
    var env = launcher.environment();
    long t0 = System.nanoTime();
    long deadline = t0 + Duration.ofSeconds(timeoutSeconds).toNanos();
    String token = new DevTokens(Cotenant.home()).token(TENANT, false, Duration.ofHours(2));
    try (DemoCluster cluster = new DemoCluster(env.get("COTENANT_KUBE_URL"));
        DemoEvents events = new DemoEvents(env.get("COTENANT_KAFKA"))) {
      cluster.uncordonAll(); // a demo killed earlier may have left its cordons
      Optional<String> missing = missingNodes(cluster.nodes());
      if (missing.isPresent()) {
        err.println("cotenant demo: " + missing.get());
        return EXIT_STACK;
      }
      double speed =
          cluster.nodes().stream()
              .flatMap(n -> n.speed().stream())
              .findFirst()
              .orElse(launcher.simulatedSpeed());
      w.printf(
          "cotenant demo: the stack's simulated cluster runs at %.0fx (1 simulated s = %.1f ms);"
              + " figures below are simulated seconds%n",
          speed, 1000 / speed);
      w.flush();
      DemoJobs jobs = new DemoJobs(env.get("COTENANT_API_URL"), token);
      Seed001Demo.Result s1 = null;
      Seed000Demo.Result s0 = null;
      Thread lift = new Thread(cluster::uncordonAll, "demo-uncordon");
      Runtime.getRuntime().addShutdownHook(lift); // Ctrl-C must not leave a node cordoned
      try {
        if (only == null || only.equals("seed001")) {
          DemoRun run =
              new DemoRun(
                  jobs, events, cluster, speed, List.of(Seed001.NODE.name()), err, deadline);
          cluster.cordon(List.of(Seed000.WORKER.name()));
          try {
            s1 = new Seed001Demo(run).run();
          } finally {
            cluster.uncordon(List.of(Seed000.WORKER.name()));
          }
          DemoReport.seed001(w, s1);
          w.flush();
        }
        if (only == null || only.equals("seed000")) {
          DemoRun run =
              new DemoRun(
                  jobs, events, cluster, speed, List.of(Seed000.WORKER.name()), err, deadline);
          cluster.cordon(List.of(Seed001.NODE.name()));
          try {
            s0 = new Seed000Demo(run).run(quick ? Seed000Demo.QUICK : Seed000Demo.FULL);
          } finally {
            cluster.uncordon(List.of(Seed001.NODE.name()));
          }
          DemoReport.seed000(w, s0);
          w.flush();
        }
      } catch (DemoRun.DemoException e) {
        err.println("cotenant demo: " + e.getMessage());
        return Cotenant.EXIT_FAILED;
      } finally {
        cluster.uncordonAll();
        Runtime.getRuntime().removeShutdownHook(lift);
      }
      double wall = (System.nanoTime() - t0) / 1e9;
      Path dir = out != null ? out : Cotenant.home().resolve("demo");
      DemoReport.write(dir, s1, s0, speed, wall);
      w.printf(
          "%nwrote %s, seed001.svg, seed000.svg; demo took %.0f s%n",
          dir.resolve("demo.json"), wall);
      return 0;
    } catch (IOException e) {
      err.println("cotenant demo: " + e.getMessage());
      return Cotenant.EXIT_FAILED;
    }
  }

  /**
   * Why the running stack cannot run the seeds as published: another cluster file or another ground
   * truth than the seeds' (the default of {@code up}).
   */
  static Optional<String> wrongStack(StackLauncher launcher) {
    String fix =
        "; run ./cotenant down && ./cotenant up (the default cluster and ground truth), then"
            + " ./cotenant demo";
    Optional<Path> file = launcher.runningCluster();
    if (file.isPresent()) {
      return Optional.of(
          "the stack serves the cluster "
              + file.get()
              + ", not the seeds' two machines (seed001-gpu, seed000-worker)"
              + fix);
    }
    return launcher
        .runningInterference()
        .map(
            truth ->
                "the stack's kubelets run by the ground truth " + truth + ", not seed 001's" + fix);
  }

  /** The seeds' machines must be there as the seeds had them. */
  static Optional<String> missingNodes(List<DemoCluster.NodeView> nodes) {
    boolean gpu =
        nodes.stream()
            .anyMatch(
                n -> n.name().equals(Seed001.NODE.name()) && n.gpus() == Seed001.NODE.numGpu());
    boolean cpu =
        nodes.stream()
            .anyMatch(
                n ->
                    n.name().equals(Seed000.WORKER.name())
                        && n.cpuMilli() == Seed000.WORKER.cpuMilli());
    if (gpu && cpu) {
      return Optional.empty();
    }
    return Optional.of(
        "the embedded cluster lacks "
            + (gpu ? "" : Seed001.NODE.name() + " (4 Titan Xp) ")
            + (cpu ? "" : Seed000.WORKER.name() + " (10 cores)")
            + "; run ./cotenant down && ./cotenant up (the default cluster has both), then"
            + " ./cotenant demo");
  }
}
