package dev.cotenant.eval;

import dev.cotenant.interference.InterferenceFile;
import dev.cotenant.interference.InterferenceMatrix;
import dev.cotenant.placement.EngineConfig;
import dev.cotenant.sim.SimConfig;
import dev.cotenant.sim.cluster.ClusterCsv;
import dev.cotenant.sim.cluster.NodeSpec;
import dev.cotenant.sim.workload.Replicas;
import dev.cotenant.sim.workload.WorkloadCsv;
import dev.cotenant.sim.workload.WorkloadJob;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A named, shipped evaluation: cluster, workload, ground truth and how pods start.
 *
 * @param jobOverheadSeconds added to every job's completion (seed 000: pipeline orchestration)
 * @param checkpointable whether the jobs resume from a checkpoint, so running pods may be moved
 *     (each move costs the pod's start plus {@link SimConfig#migrationSeconds})
 */
public record Scenario(
    String name,
    String description,
    List<NodeSpec> cluster,
    List<WorkloadJob> workload,
    InterferenceMatrix truth,
    SimConfig sim,
    double jobOverheadSeconds,
    List<String> policies,
    boolean checkpointable) {

  /** Pods that cannot be moved once they run. */
  public Scenario(
      String name,
      String description,
      List<NodeSpec> cluster,
      List<WorkloadJob> workload,
      InterferenceMatrix truth,
      SimConfig sim,
      double jobOverheadSeconds,
      List<String> policies) {
    this(name, description, cluster, workload, truth, sim, jobOverheadSeconds, policies, false);
  }

  /**
   * The same scenario with checkpointable jobs whose checkpoint round trip takes {@code seconds}.
   */
  public Scenario withMigrationSeconds(double seconds) {
    if (!(seconds >= 0) || Double.isInfinite(seconds)) {
      throw new IllegalArgumentException(
          "--migration-seconds must be a finite number >= 0, got " + seconds);
    }
    return new Scenario(
        name,
        description,
        cluster,
        workload,
        truth,
        sim.withMigrationSeconds(seconds),
        jobOverheadSeconds,
        policies,
        true);
  }

  /** Pods a rebalancing round may move: the engine's default limit per round. */
  static final int MOVES_PER_ROUND = 8;

  /**
   * The engine settings eval runs this scenario with: the defaults, plus rebalancing when the jobs
   * are checkpointable, priced at what a move costs here (a start plus the checkpoint round trip).
   */
  public EngineConfig engineConfig() {
    EngineConfig defaults = EngineConfig.defaults();
    return checkpointable
        ? defaults.withRebalancing(
            new EngineConfig.Rebalancing(
                sim.podStartSeconds() + sim.migrationSeconds(), MOVES_PER_ROUND))
        : defaults;
  }

  public static final Set<String> NAMES = Set.of("seed001", "seed000", "gavel-p100", "gavel-k80");

  static final String ROOT = "/dev/cotenant/eval/scenarios/";

  /**
   * gavel-p100: seconds a training job spends writing its checkpoint and restoring from it when it
   * is moved (besides its 5 s start). Gavel preempts and re-pairs its jobs every round on the same
   * premise. An assumption, not a measurement: {@code cotenant eval --migration-seconds} shows the
   * figures at other costs.
   */
  public static final double GAVEL_CHECKPOINT_SECONDS = 30;

  /** gavel-p100's default jobs in the system per card. */
  public static final double GAVEL_LOAD = 1.5;

  public static Scenario named(String name, long seed) {
    return named(name, seed, GAVEL_LOAD);
  }

  /** As above; {@code load} sets gavel-p100's jobs in the system per card. */
  public static Scenario named(String name, long seed, double load) {
    return switch (name) {
      case "seed001" -> seed001();
      case "gavel-p100" -> gavelP100(seed, load);
      case "gavel-k80" -> gavelK80(seed, load);
      case "seed000" -> Seed000.scenario(30);
      default ->
          throw new IllegalArgumentException(
              "unknown scenario '" + name + "'; the scenarios are " + String.join(", ", NAMES));
    };
  }

  public static Scenario seed001() {
    return new Scenario(
        "seed001",
        "seed 001 section IV.3: 8 containers (2 each of LAMMPS, GROMACS, Tensorflow, QMCPACK) on"
            + " one node with 4 Titan Xp; ground truth calibrated to Tables 3-4",
        ClusterCsv.read(reader("seed001/cluster.csv"), "seed001/cluster.csv"),
        WorkloadCsv.read(reader("seed001/workload.csv"), "seed001/workload.csv"),
        InterferenceFile.read(reader("seed001/interference.json"), "seed001/interference.json"),
        SimConfig.instantStarts(),
        0,
        List.of("binpack", "standalone", "loadbalance", "spread", "interference-aware"));
  }

  /** The measured P100 co-location matrix (Gavel, MIT licence; see its NOTICE.md). */
  public static InterferenceMatrix gavelMatrix() {
    return gavelMatrix("p100");
  }

  /** The measured co-location matrix of {@code device} (p100 or k80; Gavel, MIT licence). */
  public static InterferenceMatrix gavelMatrix(String device) {
    String path = "gavel-" + device + "/interference.json";
    return InterferenceFile.read(reader(path), path);
  }

  /**
   * 8 nodes × 4 P100 (16 GiB) and a Poisson stream of 400 single-pod training jobs drawn evenly
   * from the 26 measured job types. Each asks for half a card (so two share a card), and the
   * arrival rate keeps about {@code load} jobs per card in the system: the cluster cannot run them
   * all alone, so which jobs share a card decides completion times. Job names carry no app.
   */
  public static Scenario gavelP100(long seed) {
    return gavelP100(seed, GAVEL_LOAD);
  }

  /** As above with {@code load} jobs in the system per card on average (1.5 by default). */
  public static Scenario gavelP100(long seed, double load) {
    return gavel(
        "gavel-p100",
        "8 nodes x 4 P100, 400 Poisson jobs of the 26 measured Gavel job types, half a card each",
        gavelMatrix("p100"),
        "P100",
        16384,
        seed,
        load);
  }

  /**
   * gavel-k80: as gavel-p100 on 8 nodes × 4 K80 dies (12 GiB each), with the K80 matrix, where
   * sharing a card pays much less (a typical pair runs each tenant at about half its solo rate).
   */
  public static Scenario gavelK80(long seed, double load) {
    return gavel(
        "gavel-k80",
        "8 nodes x 4 K80, 400 Poisson jobs of the 26 measured Gavel job types, half a card each",
        gavelMatrix("k80"),
        "K80",
        12288,
        seed,
        load);
  }

  private static Scenario gavel(
      String name,
      String description,
      InterferenceMatrix matrix,
      String model,
      long cardMiB,
      long seed,
      double load) {
    if (!(load > 0) || load > 10) {
      throw new IllegalArgumentException("--load must be within (0, 10], got " + load);
    }
    List<NodeSpec> nodes = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      nodes.add(
          new NodeSpec(
              model.toLowerCase(java.util.Locale.ROOT) + "-" + i,
              32000,
              196608,
              4,
              model,
              cardMiB));
    }
    Random random = new Random(seed);
    List<String> apps = matrix.apps().stream().map(a -> a.name()).toList();
    int cards = 32;
    double meanSolo = 3600;
    double jobsInSystem = load * cards;
    // Little's law with a rough 1.6x slowdown while shared: arrivals per second.
    double rate = jobsInSystem / (meanSolo * 1.6);
    List<WorkloadJob> jobs = new ArrayList<>();
    double t = 0;
    for (int i = 0; i < 400; i++) {
      t += -Math.log(1 - random.nextDouble()) / rate;
      // Log-uniform between 20 minutes and 3 hours: mostly short jobs, a tail of long ones.
      double solo = Math.round(1200 * Math.pow(9, random.nextDouble()));
      String app = apps.get(random.nextInt(apps.size()));
      // The job declares its work (steps) as a training job knows its step count: solo seconds
      // times the app's measured solo rate. Runs then vary around it (--noise).
      double soloRate = matrix.app(app).flatMap(a -> boxed(a.soloRate())).orElse(1.0);
      jobs.add(
          new WorkloadJob(
                  String.format("job-%04d", i),
                  app,
                  Math.round(t),
                  solo,
                  new Replicas.Fixed(1),
                  4000,
                  16384,
                  0,
                  500,
                  cardMiB / 2)
              .withWork(solo * soloRate));
    }
    return new Scenario(
        name,
        description,
        nodes,
        jobs,
        matrix,
        new SimConfig(5, 4, GAVEL_CHECKPOINT_SECONDS),
        0,
        List.of("binpack", "spread", "loadbalance", "standalone", "interference-aware"),
        true);
  }

  private static java.util.Optional<Double> boxed(java.util.OptionalDouble d) {
    return d.isPresent() ? java.util.Optional.of(d.getAsDouble()) : java.util.Optional.empty();
  }

  /** A shipped scenario file, {@code path} relative to the scenarios' root. */
  public static Reader reader(String path) {
    InputStream in = Scenario.class.getResourceAsStream(ROOT + path);
    if (in == null) {
      throw new UncheckedIOException(new IOException("missing scenario resource " + ROOT + path));
    }
    return new InputStreamReader(in, StandardCharsets.UTF_8);
  }
}
