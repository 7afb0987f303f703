package dev.cotenant.bench;

import dev.cotenant.interference.AppInfo;
import dev.cotenant.interference.InterferenceFile;
import dev.cotenant.interference.MatrixModel;
import dev.cotenant.placement.EngineConfig;
import dev.cotenant.placement.PlacementEngine;
import dev.cotenant.placement.model.Decision;
import dev.cotenant.placement.model.GpuInfo;
import dev.cotenant.placement.model.JobRequest;
import dev.cotenant.placement.model.NodeInfo;
import dev.cotenant.placement.model.PodShape;
import dev.cotenant.placement.model.Replicas;
import dev.cotenant.placement.state.ClusterState;
import dev.cotenant.placement.state.PodReservation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The benchmarked workload: an {@code interference-aware} engine on N nodes × 8 P100 cards with 8·N
 * running share pods ({@link Sharing#SHARED}: 2.5·8·N from 100 apps), driven in steady state. One
 * operation is {@link #place} (a new pod with a random app and shape) followed by {@link
 * #finishOne} (a random pod that was running before it ends), so the number of running pods stays
 * exactly 8·N.
 *
 * <p>Setup reserves the 8·N initial pods directly in {@link ClusterState}, one per card in node
 * order then card index, each alone on its card (throughput 1). That is the layout {@code
 * interference-aware} itself produces on an empty cluster (an empty card costs 0 and ties go to
 * node order, then card index; {@code BenchSetupTest} checks it), at a fraction of the cost:
 * 400,000 reservations take seconds, 400,000 placements would take many minutes.
 *
 * <p>Not thread-safe, like the engine.
 */
public final class SteadyState {

  public static final int GPUS_PER_NODE = 8;
  public static final long NODE_CPU_MILLI = 64_000;
  public static final long NODE_MEMORY_MIB = 512L * 1024;
  public static final long GPU_MEMORY_MIB = 16_384;
  public static final String GPU_MODEL = "Tesla P100-PCIE-16GB";
  public static final long POD_CPU_MILLI = 2_000;
  public static final long POD_MEMORY_MIB = 8_192;
  public static final long SEED = 20_240_601L;

  /** The measured matrix, relative to the repository root. */
  public static final String MATRIX =
      "tools/eval/src/main/resources/dev/cotenant/eval/scenarios/gavel-p100/interference.json";

  /** Seconds of simulated time between two operations (a pod runs 1,800–7,200 s alone). */
  static final double TICK_SECONDS = 0.001;

  /** Apps of the shared steady state (the measured matrix has 26). */
  public static final int SHARED_APPS = 100;

  /** Running pods per card in the shared steady state, on average. */
  public static final double SHARED_PODS_PER_CARD = 2.5;

  /**
   * Which steady state: {@code single} is one share pod per card (what interference-aware makes of
   * 8·N pods on 8·N cards, so a placement scores few distinct cards); {@code shared} is {@link
   * #SHARED_PODS_PER_CARD} tenants per card on average from {@link #SHARED_APPS} apps, with shares
   * of 100–500 milli, so the engine scores many distinct tenant mixes per decision.
   */
  public enum Sharing {
    SINGLE,
    SHARED;

    public static Sharing parse(String s) {
      return valueOf(s.trim().toUpperCase(java.util.Locale.ROOT));
    }
  }

  /** How pod shapes are drawn. */
  public enum Shapes {
    /**
     * gpuMilli 250–500 in steps of 50, gpuMemoryMiB 2048–6144 in steps of 512: 54 shapes, as
     * requests written by people look.
     */
    GRID(50, 512),
    /** gpuMilli 250–500 and gpuMemoryMiB 2048–6144 to the unit: every card state is distinct. */
    FINE(1, 1);

    final int milliStep;
    final int memoryStep;

    Shapes(int milliStep, int memoryStep) {
      this.milliStep = milliStep;
      this.memoryStep = memoryStep;
    }

    public static Shapes parse(String s) {
      return valueOf(s.trim().toUpperCase(java.util.Locale.ROOT));
    }
  }

  private final PlacementEngine engine;
  private final List<String> apps;
  private final Sharing sharing;
  private final Shapes shapes;
  private final SplittableRandom random;
  private final String[] running;
  private String pending;
  private long sequence;
  private double now;

  private SteadyState(
      PlacementEngine engine,
      List<String> apps,
      Sharing sharing,
      Shapes shapes,
      SplittableRandom random,
      int pods) {
    this.engine = engine;
    this.apps = apps;
    this.sharing = sharing;
    this.shapes = shapes;
    this.random = random;
    this.running = new String[pods];
  }

  /** {@code <root>/} {@link #MATRIX}, or an IllegalStateException saying what is missing. */
  public static Path matrixPath(Path root) {
    Path file = root.resolve(MATRIX).toAbsolutePath().normalize();
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException(
          "interference matrix not found at "
              + file
              + ": run from the repository root or pass -Dcotenant.root=<repository root>");
    }
    return file;
  }

  /** The repository root from the system property {@code cotenant.root} (default "."). */
  public static Path root() {
    return Path.of(System.getProperty("cotenant.root", "."));
  }

  /** The measured gavel-p100 matrix as a model. */
  public static MatrixModel loadModel(Path root) {
    return new MatrixModel(InterferenceFile.read(matrixPath(root)));
  }

  /** Builds the cluster with its 8·N pods reserved directly (see the class comment). */
  public static SteadyState build(int nodes, Shapes shapes, MatrixModel model, long seed) {
    return build(nodes, shapes, model, seed, false);
  }

  /**
   * The steady state of {@code sharing}: {@code single} as {@link #build(int, Shapes, MatrixModel,
   * long)} with the measured matrix; {@code shared} on {@link SyntheticApps}' matrix of {@link
   * #SHARED_APPS} apps, its {@link #SHARED_PODS_PER_CARD}·8·N pods placed through the engine itself
   * (a layout of shared cards is the engine's to choose, not ours to reserve).
   */
  public static SteadyState build(int nodes, Sharing sharing, Shapes shapes, long seed) {
    return sharing == Sharing.SINGLE
        ? build(nodes, shapes, loadModel(root()), seed)
        : build(
            nodes,
            sharing,
            shapes,
            new MatrixModel(SyntheticApps.matrix(SHARED_APPS, seed)),
            seed,
            true);
  }

  /**
   * Builds the cluster; with {@code viaEngine} the initial pods are placed with {@link
   * PlacementEngine#place} instead (slow, for checking that both give the same layout).
   */
  public static SteadyState build(
      int nodes, Shapes shapes, MatrixModel model, long seed, boolean viaEngine) {
    return build(nodes, Sharing.SINGLE, shapes, model, seed, viaEngine);
  }

  private static SteadyState build(
      int nodes, Sharing sharing, Shapes shapes, MatrixModel model, long seed, boolean viaEngine) {
    if (nodes < 1) {
      throw new IllegalArgumentException("nodes must be >= 1, got " + nodes);
    }
    List<NodeInfo> infos = new ArrayList<>(nodes);
    for (int n = 0; n < nodes; n++) {
      String name = String.format("node-%05d", n);
      List<GpuInfo> gpus = new ArrayList<>(GPUS_PER_NODE);
      for (int g = 0; g < GPUS_PER_NODE; g++) {
        gpus.add(new GpuInfo(g, "GPU-" + name + "-" + g, GPU_MODEL, GPU_MEMORY_MIB));
      }
      infos.add(new NodeInfo(name, NODE_CPU_MILLI, NODE_MEMORY_MIB, gpus));
    }
    List<String> apps = model.matrix().apps().stream().map(AppInfo::name).sorted().toList();
    PlacementEngine engine =
        new PlacementEngine(
            new ClusterState(infos),
            model,
            EngineConfig.defaults().withDefaultPolicy("interference-aware"));
    int cards = nodes * GPUS_PER_NODE;
    int pods = sharing == Sharing.SINGLE ? cards : (int) Math.round(cards * SHARED_PODS_PER_CARD);
    SteadyState s =
        new SteadyState(engine, apps, sharing, shapes, new SplittableRandom(seed), pods);
    if (sharing == Sharing.SINGLE) {
      s.populate(nodes, viaEngine);
    } else {
      s.populateThroughEngine();
    }
    return s;
  }

  /** The pods that run throughout the steady state of {@code sharing} on {@code nodes} nodes. */
  public static int runningPods(int nodes, Sharing sharing) {
    int cards = nodes * GPUS_PER_NODE;
    return sharing == Sharing.SINGLE ? cards : (int) Math.round(cards * SHARED_PODS_PER_CARD);
  }

  private void populateThroughEngine() {
    for (int i = 0; i < running.length; i++) {
      now += TICK_SECONDS;
      JobRequest job = nextJob();
      Decision d = engine.place(job, now);
      if (!d.placed()) {
        throw new IllegalStateException(
            "initial pod " + i + " of " + running.length + " not placed: " + d.reasons());
      }
      running[i] = job.podName(0);
    }
  }

  private void populate(int nodes, boolean viaEngine) {
    ClusterState state = engine.state();
    int i = 0;
    for (int n = 0; n < nodes; n++) {
      String node = String.format("node-%05d", n);
      for (int g = 0; g < GPUS_PER_NODE; g++) {
        JobRequest job = nextJob();
        if (viaEngine) {
          Decision d = engine.place(job, now);
          if (!d.placed()) {
            throw new IllegalStateException("initial pod " + job.jobId() + " not placed: " + d);
          }
        } else {
          state.reserve(
              new PodReservation(
                  job.podName(0),
                  job.jobId(),
                  job.app(),
                  job.shape(),
                  node,
                  List.of(g),
                  now,
                  now + job.soloSeconds(),
                  1.0));
        }
        running[i++] = job.podName(0);
      }
    }
  }

  private JobRequest nextJob() {
    long seq = sequence++;
    String app = apps.get(random.nextInt(apps.size()));
    // single: 250-500 milli and 2-6 GiB; shared: 100-500 milli and 1-6 GiB, mixed sizes so that
    // two to four fit a card
    int minMilli = sharing == Sharing.SINGLE ? 250 : 100;
    long minMemory = sharing == Sharing.SINGLE ? 2048 : 1024;
    int milli =
        minMilli + shapes.milliStep * random.nextInt((500 - minMilli) / shapes.milliStep + 1);
    long memory =
        minMemory
            + (long) shapes.memoryStep
                * random.nextInt((int) (6144 - minMemory) / shapes.memoryStep + 1);
    double solo = 1_800 + random.nextDouble() * 5_400;
    return new JobRequest(
        "job-" + seq,
        app,
        0,
        seq,
        new Replicas.Fixed(1),
        PodShape.share(POD_CPU_MILLI, POD_MEMORY_MIB, milli, memory),
        solo,
        Optional.empty());
  }

  /**
   * Places one new pod with a random app and shape; {@link #finishOne} must follow before the next
   * call. Throws if the engine does not place it (it always fits: the cluster is never full).
   */
  public Decision place() {
    if (pending != null) {
      throw new IllegalStateException("finishOne() must follow place()");
    }
    now += TICK_SECONDS;
    JobRequest job = nextJob();
    Decision d = engine.place(job, now);
    if (!d.placed()) {
      throw new IllegalStateException("pod " + job.jobId() + " not placed: " + d.reasons());
    }
    pending = job.podName(0);
    return d;
  }

  /**
   * Ends a random pod that was running before the last {@link #place}; the new one takes its slot.
   */
  public void finishOne() {
    if (pending == null) {
      throw new IllegalStateException("place() must come first");
    }
    int victim = random.nextInt(running.length);
    engine.finished(running[victim], now);
    running[victim] = pending;
    pending = null;
  }

  /** One steady-state operation: {@link #place} then {@link #finishOne}. */
  public Decision step() {
    Decision d = place();
    finishOne();
    return d;
  }

  public PlacementEngine engine() {
    return engine;
  }

  /** Pods reserved in the engine's state right now. */
  public int runningPods() {
    return engine.state().pods().size();
  }

  /** Distinct card states (the engine's share classes), what a share placement walks. */
  public int shareClasses() {
    return engine.state().shareClasses().size();
  }

  /**
   * Groups of cards with the same tenant apps, what an {@code interference-aware} share placement
   * scores (one card each).
   */
  public int appGroups() {
    return engine.state().appGroups().size();
  }
}
