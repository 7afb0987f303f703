package dev.cotenant.placement.plugins;

import dev.cotenant.fragmentation.Fragmentation;
import dev.cotenant.fragmentation.TargetWorkload;
import dev.cotenant.placement.framework.CandidateView;
import dev.cotenant.placement.framework.Demand;
import dev.cotenant.placement.model.JobRequest;
import dev.cotenant.placement.model.PodShape;
import dev.cotenant.placement.state.Card;
import dev.cotenant.placement.state.ClusterState;
import dev.cotenant.placement.state.Node;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The fragmentation score's state beside one {@link ClusterState} (an attachment of it), kept up to
 * date incrementally:
 *
 * <ul>
 *   <li>each node's measure against the current target, recomputed only when the node changed
 *       ({@link Node#version}) or the target was replaced;
 *   <li>per request kind (CPU, whole cards or one card's share), every node the kind fits ranked by
 *       FGD's score of the best placement there (and, for a share, the card), in a sorted set. A
 *       reserve or release tells the index which node changed ({@link ClusterState.Listener}); the
 *       node is marked in every kind and repriced only when that kind is next asked for. A kind is
 *       rebuilt from all nodes only when the target is replaced ({@link Demand} replaces it only
 *       when the demand has moved materially) or on its first use.
 * </ul>
 *
 * So a pod costs the nodes changed since its kind last came plus a walk from the top of the
 * ranking, not a scan of the cluster. Not thread-safe, like the state.
 */
final class FragmentationIndex implements ClusterState.Listener {

  /** How far down its ranking a nomination looks for a node that passes every filter. */
  static final int MAX_WALK = 256;

  /** The most cards a node may have (the project's cluster files allow 16). */
  private static final double MAX_NODE_MILLI = 16_000;

  private static final Comparator<Entry> BEST_FIRST =
      (a, b) -> {
        int byScore = Double.compare(b.score(), a.score());
        return byScore != 0 ? byScore : Long.compare(a.node().ordinal(), b.node().ordinal());
      };

  private final ClusterState state;
  private Demand demand;
  private int demandEpoch = -1;
  private int generation;
  private Fragmentation measure;
  private Node[] nodes = new Node[0];
  private double[] before = new double[0];
  private int[] beforeVersion = new int[0];
  private int[] beforeGeneration = new int[0];
  private NodeState[] nodeStates = new NodeState[0];
  private final Map<Kind, KindIndex> kinds = new HashMap<>();
  private final List<KindIndex> kindList = new ArrayList<>();

  static FragmentationIndex of(ClusterState state) {
    return state.attachment(FragmentationIndex.class, FragmentationIndex::new);
  }

  private FragmentationIndex(ClusterState state) {
    this.state = state;
    for (Node n : state.nodes()) {
      track(n);
    }
    state.addListener(this);
  }

  @Override
  public void nodeChanged(Node node) {
    int i = track(node);
    if (state.node(node.name()).orElse(null) != node) {
      nodes[i] = null; // removed
    }
    for (int k = 0, n = kindList.size(); k < n; k++) {
      kindList.get(k).mark(i);
    }
  }

  /** FGD's score of placing the pod as the candidate says; 0 everywhere without a target. */
  double score(Demand asked, PodShape shape, CandidateView v) {
    if (!sync(asked)) {
      return 0;
    }
    Node node = v.node();
    int[] left = milliLeft(node);
    List<Card> cards = node.cards();
    if (v.card().isPresent()) {
      int at = cards.indexOf(v.card().get());
      left[at] = Math.max(0, left[at] - shape.gpuMilli());
    }
    for (Card c : v.wholeCards()) {
      left[cards.indexOf(c)] = 0;
    }
    double after = measure.of(node.freeCpuMilli() - shape.cpuMilli(), gpuType(node), left);
    return score(before(node), after, node);
  }

  /**
   * Adds the best-ranked candidate for the pod that passes, looking at most {@link #MAX_WALK} nodes
   * down the ranking.
   */
  void nominate(
      Demand asked, JobRequest job, Predicate<CandidateView> passes, List<CandidateView> out) {
    if (!sync(asked)) {
      return;
    }
    PodShape shape = job.shape();
    Kind key = Kind.of(job);
    KindIndex kind = kinds.get(key);
    if (kind == null) {
      kind = new KindIndex(key);
      kinds.put(kind.kind, kind);
      kindList.add(kind);
    }
    kind.refresh();
    int walked = 0;
    for (Entry e : kind.ranked) {
      if (++walked > MAX_WALK) {
        return;
      }
      CandidateView v = view(e, shape);
      if (passes.test(v)) {
        out.add(v);
        return;
      }
    }
  }

  /**
   * FGD's score, {@code 100 × sigmoid((before − after) / 1000)} in integers as its plugin computes
   * it, plus less than one point for how full the node's GPUs are: placements FGD cannot tell apart
   * (within about 40 milli-GPU of stranded capacity) go to the fuller node, which keeps the emptier
   * ones whole for the large shapes, as FGD's first-in-node-order ties do by accident.
   */
  private static double score(double before, double after, Node node) {
    return Fragmentation.score(before, after) + packing(node);
  }

  private static double packing(Node node) {
    long free = 0;
    for (Card c : node.cards()) {
      free += c.exclusive() ? 0 : c.freeMilli();
    }
    return 0.5 * (1 - free / MAX_NODE_MILLI);
  }

  /** Takes the demand's current target; false when there is none yet. */
  private boolean sync(Demand asked) {
    Optional<TargetWorkload> target = asked.target();
    int epoch = asked.epoch();
    if (asked != demand || epoch != demandEpoch) {
      demand = asked;
      demandEpoch = epoch;
      measure = target.map(Fragmentation::new).orElse(null);
      generation++;
    }
    return measure != null;
  }

  private double before(Node node) {
    int i = slot(node);
    if (beforeGeneration[i] != generation || beforeVersion[i] != node.version()) {
      before[i] = measure.of(node.freeCpuMilli(), gpuType(node), milliLeft(node));
      beforeVersion[i] = node.version();
      beforeGeneration[i] = generation;
    }
    return before[i];
  }

  private int track(Node node) {
    int i = slot(node);
    if (i >= nodes.length) {
      int size = Math.max(i + 1, 2 * nodes.length);
      nodes = Arrays.copyOf(nodes, size);
      before = Arrays.copyOf(before, size);
      beforeVersion = Arrays.copyOf(beforeVersion, size);
      int old = beforeGeneration.length;
      beforeGeneration = Arrays.copyOf(beforeGeneration, size);
      Arrays.fill(beforeGeneration, old, size, -1);
      nodeStates = Arrays.copyOf(nodeStates, size);
    }
    nodes[i] = node;
    return i;
  }

  private static int slot(Node node) {
    return Math.toIntExact(node.ordinal());
  }

  /** Each card's milli-GPU left, in card order; a card held whole has none. */
  private static int[] milliLeft(Node node) {
    List<Card> cards = node.cards();
    int[] left = new int[cards.size()];
    for (int i = 0; i < left.length; i++) {
      Card c = cards.get(i);
      left[i] = c.exclusive() ? 0 : c.freeMilli();
    }
    return left;
  }

  private static String gpuType(Node node) {
    return node.cards().isEmpty() ? "" : node.info().gpus().get(0).model();
  }

  private static CandidateView view(Entry e, PodShape shape) {
    Node node = e.node();
    if (shape.isShare()) {
      return CandidateView.share(node.cards().get(e.card()));
    }
    if (shape.isWhole()) {
      List<Card> cards = new ArrayList<>(shape.wholeGpus());
      for (Card c : node.cards()) {
        if (cards.size() < shape.wholeGpus() && c.isEmpty()) {
          cards.add(c);
        }
      }
      return CandidateView.whole(node, cards);
    }
    return CandidateView.cpuOnly(node);
  }

  /**
   * What prices a pod: its CPU, its GPU request and the GPU models it accepts (memory only
   * filters).
   */
  private record Kind(
      long cpuMilli, int wholeGpus, int shareMilli, boolean share, List<String> models) {
    static Kind of(JobRequest job) {
      PodShape s = job.shape();
      return new Kind(
          s.cpuMilli(),
          s.wholeGpus(),
          s.gpuMilli(),
          s.isShare(),
          s.isCpuOnly() ? List.of() : job.gpuModels());
    }
  }

  /**
   * What a node's price depends on: free CPU, GPU model, each card's milli-GPU left and whether it
   * is empty (whole cards take empty ones), and the packing term's total. A node that fits no kind
   * at all prices as null, which the rebuild copies too.
   */
  private static final class NodeState {
    final int version;
    final long cpu;
    final String type;
    final int[] cards;
    final int hash;

    private NodeState(int version, long cpu, String type, int[] cards) {
      this.version = version;
      this.cpu = cpu;
      this.type = type;
      this.cards = cards;
      this.hash = 31 * (31 * Long.hashCode(cpu) + type.hashCode()) + Arrays.hashCode(cards);
    }

    static NodeState of(Node node) {
      List<Card> cards = node.cards();
      int[] state = new int[cards.size()];
      for (int i = 0; i < state.length; i++) {
        Card c = cards.get(i);
        // Left milli (0 when held whole), with a bit for "empty" above the 0..1000 range.
        state[i] = (c.exclusive() ? 0 : c.freeMilli()) | (c.isEmpty() ? 1 << 16 : 0);
      }
      return new NodeState(node.version(), node.freeCpuMilli(), gpuType(node), state);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof NodeState s
          && s.hash == hash
          && s.cpu == cpu
          && s.type.equals(type)
          && Arrays.equals(s.cards, cards);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  /** A node the kind fits, its score there and, for a share, the card (position in the node). */
  private record Entry(Node node, double score, int card) {}

  private final class KindIndex {
    final Kind kind;
    int generation = -1;
    final TreeSet<Entry> ranked = new TreeSet<>(BEST_FIRST);
    Entry[] entries = new Entry[0];
    boolean[] marked = new boolean[0];
    int[] dirty = new int[0];
    int dirtyCount;

    KindIndex(Kind kind) {
      this.kind = kind;
    }

    void mark(int i) {
      if (generation != FragmentationIndex.this.generation) {
        return; // rebuilt from every node on its next use anyway
      }
      if (i >= marked.length) {
        int size = Math.max(i + 1, 2 * marked.length);
        marked = Arrays.copyOf(marked, size);
        dirty = Arrays.copyOf(dirty, size);
        entries = Arrays.copyOf(entries, size);
      }
      if (!marked[i]) {
        marked[i] = true;
        dirty[dirtyCount++] = i;
      }
    }

    void refresh() {
      if (generation != FragmentationIndex.this.generation) {
        ranked.clear();
        entries = new Entry[nodes.length];
        marked = new boolean[nodes.length];
        dirty = new int[nodes.length];
        dirtyCount = 0;
        // Nodes in the same state price the same: on a young cluster most are empty, and that is
        // when the target moves most often.
        Map<NodeState, Entry> seen = new HashMap<>();
        for (Node n : state.nodes()) {
          int i = slot(n);
          NodeState key = nodeStates[i];
          if (key == null || key.version != n.version()) {
            key = NodeState.of(n);
            nodeStates[i] = key;
          }
          if (!seen.containsKey(key)) {
            reprice(i);
            seen.put(key, entries[i]);
          } else if (seen.get(key) != null) {
            Entry same = seen.get(key);
            Entry e = new Entry(n, same.score(), same.card());
            entries[i] = e;
            ranked.add(e);
          }
        }
        generation = FragmentationIndex.this.generation;
        return;
      }
      for (int j = 0; j < dirtyCount; j++) {
        int i = dirty[j];
        marked[i] = false;
        reprice(i);
      }
      dirtyCount = 0;
    }

    private void reprice(int i) {
      Entry old = entries[i];
      if (old != null) {
        ranked.remove(old);
      }
      Node node = nodes[i];
      Entry e = node != null ? price(node) : null;
      entries[i] = e;
      if (e != null) {
        ranked.add(e);
      }
    }

    /** The best placement of this kind on the node, or null when it does not fit there. */
    private Entry price(Node node) {
      long cpuAfter = node.freeCpuMilli() - kind.cpuMilli();
      String type = gpuType(node);
      if (cpuAfter < 0 || !(kind.models().isEmpty() || kind.models().contains(type))) {
        return null;
      }
      int[] left = milliLeft(node);
      double now = before(node);
      List<Card> cards = node.cards();
      if (!kind.share()) {
        int taken = 0;
        for (int c = 0; c < left.length && taken < kind.wholeGpus(); c++) {
          if (cards.get(c).isEmpty()) {
            left[c] = 0;
            taken++;
          }
        }
        if (taken < kind.wholeGpus()) {
          return null;
        }
        return new Entry(node, score(now, measure.of(cpuAfter, type, left), node), -1);
      }
      // At least 1 milli: a card held whole has none left, and a share never goes there.
      long[] best = measure.bestShare(cpuAfter, type, left, Math.max(1, kind.shareMilli()), now);
      return best[1] < 0 ? null : new Entry(node, best[0] + packing(node), (int) best[1]);
    }
  }
}
