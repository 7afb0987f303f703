package dev.cotenant.eval.scenario;

import dev.cotenant.interference.InterferenceMatrix;
import dev.cotenant.interference.MatrixModel;
import dev.cotenant.sim.ClusterSimulator;
import dev.cotenant.sim.SimConfig;
import dev.cotenant.sim.SimEvent;
import dev.cotenant.sim.SimPod;
import dev.cotenant.sim.cluster.NodeSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Seed 001's experiment (section IV.3, Table 4): 8 containers, 2 each of LAMMPS, GROMACS,
 * Tensorflow and QMCPACK, on one node with 4 Titan Xp cards, under the seed's three placements.
 * Simulates a placement against a ground truth and compares it with the measured run times.
 */
public final class Seed001 {

  /** The containers in Table 4's column order. */
  public static final List<String> CONTAINERS =
      List.of("L1", "L2", "G1", "G2", "T1", "T2", "Q1", "Q2");

  public static final Map<Character, String> APPS =
      Map.of('L', "lammps", 'G', "gromacs", 'T', "tensorflow", 'Q', "qmcpack");

  public static final NodeSpec NODE =
      new NodeSpec("seed001-gpu", 6000, 32768, 4, "TITAN-Xp", 12288);

  /** Card per container (in {@link #CONTAINERS} order) for each of the seed's placements. */
  public static final Map<String, List<Integer>> SEED_PLACEMENTS = seedPlacements();

  /** Per-container requests of the scenario's workload: a quarter of a card each. */
  public static final long CPU_MILLI = 500;

  public static final long MEMORY_MIB = 2048;
  public static final int GPU_MILLI = 250;
  public static final long GPU_MEMORY_MIB = 3072;

  private Seed001() {}

  private static Map<String, List<Integer>> seedPlacements() {
    Map<String, List<Integer>> p = new LinkedHashMap<>();
    // Binpacking : GPU0 = L1+T1, GPU1 = L2+T2, GPU2 = Q1+Q2+G1+G2 (GPU3 idle)
    p.put("Binpacking", List.of(0, 1, 2, 2, 0, 1, 2, 2));
    // Standalone : GPU0 = L1+L2, GPU1 = G1+G2, GPU2 = T1+T2, GPU3 = Q1+Q2
    p.put("Standalone", List.of(0, 0, 1, 1, 2, 2, 3, 3));
    // Loadbalance: GPU0 = T1+L1, GPU1 = T2+L2, GPU2 = G1+Q1, GPU3 = G2+Q2
    p.put("Loadbalance", List.of(0, 1, 2, 3, 0, 1, 2, 3));
    return Map.copyOf(p);
  }

  public static String app(String container) {
    return APPS.get(container.charAt(0));
  }

  /** Workload job name of a container, e.g. {@code lammps-1} for L1. */
  public static String jobName(String container) {
    return app(container) + "-" + container.substring(1);
  }

  /**
   * Run time of each container when all start together on {@link #NODE} with the given cards.
   *
   * @param cards card per container, in {@link #CONTAINERS} order
   * @param soloSeconds solo run time per app
   */
  public static Map<String, Double> simulate(
      InterferenceMatrix truth, Map<String, Double> soloSeconds, List<Integer> cards) {
    return simulate(truth, soloSeconds, CONTAINERS, cards);
  }

  /** As above for any subset of the containers. */
  public static Map<String, Double> simulate(
      InterferenceMatrix truth,
      Map<String, Double> soloSeconds,
      List<String> containers,
      List<Integer> cards) {
    var sim =
        new ClusterSimulator(List.of(NODE), new MatrixModel(truth), SimConfig.instantStarts());
    for (int i = 0; i < containers.size(); i++) {
      String c = containers.get(i);
      sim.bind(
          new SimPod(
              jobName(c),
              jobName(c),
              app(c),
              NODE.name(),
              List.of(cards.get(i)),
              CPU_MILLI,
              GPU_MEMORY_MIB,
              soloSeconds.get(app(c))));
    }
    Map<String, Double> runSeconds = new LinkedHashMap<>();
    for (SimEvent e : sim.advanceTo(Double.MAX_VALUE / 4)) {
      if (e instanceof SimEvent.Finished f) {
        String container =
            containers.stream().filter(c -> jobName(c).equals(f.pod().name())).findFirst().get();
        runSeconds.put(
            container,
            f.outcome() == SimEvent.Outcome.SUCCEEDED ? f.runSeconds() : Double.POSITIVE_INFINITY);
      }
    }
    Map<String, Double> ordered = new LinkedHashMap<>();
    for (String c : containers) {
      ordered.put(c, runSeconds.get(c));
    }
    return ordered;
  }

  /** One cell of Table 4 against the simulation. */
  public record Cell(String placement, String container, double measured, double simulated) {
    public double absolutePercentageError() {
      return 100 * Math.abs(simulated - measured) / measured;
    }
  }

  /** Every cell of {@code table4} (placement → container → seconds) against the simulation. */
  public static List<Cell> compare(
      InterferenceMatrix truth,
      Map<String, Double> soloSeconds,
      Map<String, Map<String, Double>> table4) {
    List<Cell> cells = new ArrayList<>();
    for (var row : table4.entrySet()) {
      Map<String, Double> simulated =
          simulate(truth, soloSeconds, SEED_PLACEMENTS.get(row.getKey()));
      for (var cell : row.getValue().entrySet()) {
        cells.add(
            new Cell(row.getKey(), cell.getKey(), cell.getValue(), simulated.get(cell.getKey())));
      }
    }
    return cells;
  }

  public static double meanAbsolutePercentageError(List<Cell> cells) {
    return cells.stream().mapToDouble(Cell::absolutePercentageError).average().orElse(0);
  }
}
