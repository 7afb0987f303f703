package dev.cotenant.placement;

import dev.cotenant.interference.InterferenceModel;
import dev.cotenant.placement.framework.CandidateView;
import dev.cotenant.placement.framework.CycleState;
import dev.cotenant.placement.framework.Demand;
import dev.cotenant.placement.framework.Filter;
import dev.cotenant.placement.framework.Nominator;
import dev.cotenant.placement.framework.Permit;
import dev.cotenant.placement.framework.PodContext;
import dev.cotenant.placement.framework.Policy;
import dev.cotenant.placement.framework.Predictions;
import dev.cotenant.placement.framework.Reserve;
import dev.cotenant.placement.framework.Score;
import dev.cotenant.placement.framework.Status;
import dev.cotenant.placement.framework.Unreserve;
import dev.cotenant.placement.model.Candidate;
import dev.cotenant.placement.model.Decision;
import dev.cotenant.placement.model.JobRequest;
import dev.cotenant.placement.model.Migration;
import dev.cotenant.placement.model.PodPlacement;
import dev.cotenant.placement.model.Reason;
import dev.cotenant.placement.model.Replicas;
import dev.cotenant.placement.plugins.InterferenceCost;
import dev.cotenant.placement.plugins.Policies;
import dev.cotenant.placement.state.AppGroup;
import dev.cotenant.placement.state.Card;
import dev.cotenant.placement.state.ClusterState;
import dev.cotenant.placement.state.Node;
import dev.cotenant.placement.state.PodReservation;
import dev.cotenant.placement.state.ReservedPod;
import dev.cotenant.placement.state.ShareClass;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Set;

/**
 * Places jobs (gangs of pods) on a {@link ClusterState} with a named {@link Policy}: filter, score,
 * reserve, permit, as in the Kubernetes scheduling framework, and explains every decision.
 *
 * <p>Search is by group, never by card. Share pods, under a policy whose scores depend only on the
 * tenants ({@code Score.dependsOnCapacity() == false}, e.g. interference-aware): one card per
 * {@code AppGroup} (same tenant apps), the first in node order that fits and passes the filters;
 * under other policies: one card per {@code CardKey} class (the first card in node order whose node
 * also has the CPU and memory). Whole-GPU and CPU-only pods: one node per bucket of "number of
 * empty cards". The cost of a placement grows with the number of distinct tenant-app sets (or card
 * states), not with the cluster.
 *
 * <p>Predictions: each reserved pod has a predicted rate (the co-location rule over its card's
 * tenants) and end ({@code now + work / rate}); when a pod joins or leaves a card, the other
 * tenants' remaining time is rescaled to their new rate.
 *
 * <p>Right-sizing ({@link Replicas.Auto}): the replicas are placed one by one, with the capacity
 * free now, until one does not fit or {@code max} is reached; for each prefix N the predicted
 * completion time is
 *
 * <pre>
 *   T(N) = (soloSeconds / N) / minThroughput(N) + (maxPodsOnOneNode(N) - 1) × podStartSeconds
 * </pre>
 *
 * where {@code minThroughput(N)} is the worst predicted combined throughput among the N pods (with
 * each other and with the tenants already there) and pods on one node start one after the other.
 * The smallest N minimising T is kept and the replicas beyond it are unreserved.
 *
 * <p>Not thread-safe: one thread owns the engine and its state.
 */
public final class PlacementEngine {

  /** Floor of a predicted rate in time arithmetic: a predicted failure is not an infinite run. */
  static final double MIN_THROUGHPUT = 0.01;

  public static final String UNKNOWN_POLICY = "UnknownPolicy";
  public static final String NEVER_FITS = "NeverFits";

  static final String ENGINE = "engine";

  private final ClusterState state;
  private final EngineConfig config;
  private final Map<String, Policy> policies;
  private Predictions predictions;
  private final Demand demand;
  // Whether a job fits the empty cluster, per job shape and policy, valid for one node set.
  private final Map<String, Boolean> fitsEmpty = new HashMap<>();
  private long fitsEmptyNodeSet = -1;

  public PlacementEngine(ClusterState state, InterferenceModel model, EngineConfig config) {
    this(state, model, config, Policies.builtIn(Policies.defaultRegistry()));
  }

  public PlacementEngine(
      ClusterState state,
      InterferenceModel model,
      EngineConfig config,
      Map<String, Policy> policies) {
    this(state, new Predictions(model), config, policies, new Demand());
  }

  private PlacementEngine(
      ClusterState state,
      Predictions predictions,
      EngineConfig config,
      Map<String, Policy> policies,
      Demand demand) {
    if (!policies.containsKey(config.defaultPolicy())) {
      throw new IllegalArgumentException(
          "defaultPolicy '" + config.defaultPolicy() + "' is not one of " + policies.keySet());
    }
    this.state = state;
    this.config = config;
    this.policies = Collections.unmodifiableMap(new LinkedHashMap<>(policies));
    this.predictions = predictions;
    this.demand = demand;
  }

  /**
   * An engine with the same model, config, policies and demand over another state (what-if copies).
   */
  public PlacementEngine on(ClusterState other) {
    return new PlacementEngine(other, predictions, config, policies, demand);
  }

  /**
   * What is being asked for: the fragmentation score's target workload. {@link PlacementQueue}
   * tells it of every submission and of the jobs waiting; a caller placing jobs without the queue
   * tells it of each arrival ({@link Demand#arrived}).
   */
  public Demand demand() {
    return demand;
  }

  public ClusterState state() {
    return state;
  }

  public EngineConfig config() {
    return config;
  }

  public InterferenceModel model() {
    return predictions.model();
  }

  /** Replaces the model (a learned one); cached predictions go with the old one. */
  public void setModel(InterferenceModel model) {
    this.predictions = new Predictions(model);
  }

  public Set<String> policies() {
    return policies.keySet();
  }

  public Optional<Policy> policy(String name) {
    return Optional.ofNullable(policies.get(name));
  }

  /** The policy a job is placed with: its own, else the default. */
  public String policyOf(JobRequest job) {
    return job.policy().orElse(config.defaultPolicy());
  }

  /**
   * Places all replicas of a job or none. On success the pods are reserved (they count as running
   * until {@link #finished}); on failure the state is exactly as before and the decision says why.
   */
  public Decision place(JobRequest job, double nowSeconds) {
    return attempt(job, nowSeconds, true);
  }

  /** What {@link #place} would decide, leaving the state as it is. */
  public Decision tryPlace(JobRequest job, double nowSeconds) {
    return attempt(job, nowSeconds, false);
  }

  /** Releases a pod; its co-tenants speed up. A second call is a no-op. */
  public void finished(String podName, double nowSeconds) {
    Optional<ReservedPod> pod = state.pod(podName);
    if (pod.isEmpty()) {
      return;
    }
    state.release(podName);
    for (Card card : pod.get().cards()) {
      for (ReservedPod tenant : card.tenants()) {
        tenant.rerate(throughputOn(tenant, card), nowSeconds);
      }
    }
  }

  /**
   * Moves running GPU-share pods to where they and their co-tenants lose less to interference, as
   * {@link EngineConfig#rebalancing} allows: repeatedly applies the best move or swap whose
   * predicted saving exceeds its migration cost (see {@link Rebalancer}), at most {@code
   * maxMovesPerRound} pods in all. A moved pod keeps its remaining work and is predicted to resume
   * {@code migrationSeconds} from now. Returns what moved, in order; the caller carries it out.
   * Empty when rebalancing is off or the default policy does not price interference (it has no
   * {@code InterferenceCost} score): the cost rebalancing lowers is that score's.
   */
  public List<Migration> rebalance(double nowSeconds) {
    EngineConfig.Rebalancing settings = config.rebalancing();
    if (!settings.enabled() || !pricesInterference(policies.get(config.defaultPolicy()))) {
      return List.of();
    }
    Rebalancer rebalancer =
        new Rebalancer(state, predictions, config.uncertaintyPenalty(), nowSeconds);
    List<Migration> moved = new ArrayList<>();
    while (moved.size() < settings.maxMovesPerRound()) {
      Optional<Rebalancer.Plan> plan = rebalancer.best(settings.migrationSeconds());
      if (plan.isEmpty()
          || moved.size() + plan.get().moves().size() > settings.maxMovesPerRound()) {
        break;
      }
      List<Card> touched = new ArrayList<>();
      for (Rebalancer.Move m : plan.get().moves()) {
        touched.addAll(m.pod().cards());
        touched.add(m.to());
      }
      moved.addAll(apply(plan.get(), nowSeconds, settings.migrationSeconds()));
      rebalancer.changed(touched);
    }
    return moved;
  }

  private static boolean pricesInterference(Policy policy) {
    for (Policy.WeightedScore ws : policy.scores()) {
      if (ws.plugin() instanceof InterferenceCost) {
        return true;
      }
    }
    return false;
  }

  private static PodReservation reservation(
      ReservedPod pod, Card card, double predictedEnd, double throughput) {
    return new PodReservation(
        pod.podName(),
        pod.jobId(),
        pod.app(),
        pod.shape(),
        card.node().name(),
        List.of(card.index()),
        pod.startSeconds(),
        predictedEnd,
        throughput);
  }

  /** Releases every moved pod, then reserves each on its new card with its remaining work. */
  List<Migration> apply(Rebalancer.Plan plan, double now, double migrationSeconds) {
    List<Migration> done = new ArrayList<>();
    List<Double> work = new ArrayList<>();
    List<PodPlacement> from = new ArrayList<>();
    for (Rebalancer.Move m : plan.moves()) {
      ReservedPod pod = m.pod();
      work.add(pod.remainingSeconds(now) * pod.throughput());
      from.add(
          new PodPlacement(
              pod.podName(), pod.node().name(), pod.slots(), pod.remainingSeconds(now)));
      finished(pod.podName(), now);
    }
    List<ReservedPod> placed = new ArrayList<>();
    try {
      for (Rebalancer.Move m : plan.moves()) {
        placed.add(state.reserve(reservation(m.pod(), m.to(), now, 1.0)));
      }
    } catch (IllegalStateException e) {
      // The planner checks capacity, so this is a bug; still leave the state as it was.
      placed.forEach(p -> state.release(p.podName()));
      for (Rebalancer.Move m : plan.moves()) {
        ReservedPod was = m.pod();
        Card card = was.cards().get(0);
        state.reserve(reservation(was, card, was.predictedEndSeconds(), was.throughput()));
        for (ReservedPod tenant : card.tenants()) {
          tenant.rerate(throughputOn(tenant, card), now);
        }
      }
      throw new IllegalStateException("rebalancing plan did not fit; nothing moved: " + e, e);
    }
    for (int i = 0; i < placed.size(); i++) {
      ReservedPod pod = placed.get(i);
      Card card = pod.cards().get(0);
      for (ReservedPod tenant : card.tenants()) {
        if (!placed.contains(tenant)) {
          tenant.rerate(throughputOn(tenant, card), now);
        }
      }
    }
    for (int i = 0; i < placed.size(); i++) {
      ReservedPod pod = placed.get(i);
      double throughput = throughputOn(pod, pod.cards().get(0));
      double run = migrationSeconds + work.get(i) / throughput;
      pod.predict(now + run, throughput);
      done.add(
          new Migration(
              pod.podName(),
              pod.jobId(),
              from.get(i),
              new PodPlacement(pod.podName(), pod.node().name(), pod.slots(), run),
              plan.gainSeconds()));
    }
    return done;
  }

  /**
   * Whether the job could be placed on the cluster with nothing running (the same nodes, the same
   * policy); a job that cannot will wait forever.
   */
  public boolean fitsEmptyCluster(JobRequest job) {
    if (fitsEmptyNodeSet != state.nodeSetVersion()) {
      fitsEmpty.clear();
      fitsEmptyNodeSet = state.nodeSetVersion();
    }
    int gang = job.replicas() instanceof Replicas.Fixed f ? f.count() : 1;
    String key =
        policyOf(job) + "|" + job.app() + "|" + job.shape() + "|" + gang + "|" + job.gpuModels();
    Boolean known = fitsEmpty.get(key);
    if (known == null) {
      JobRequest probe =
          new JobRequest(
              job.jobId(),
              job.app(),
              job.priority(),
              job.sequence(),
              new Replicas.Fixed(gang),
              job.shape(),
              job.runTime(),
              job.policy(),
              job.gpuModels());
      known = on(state.emptyCopy()).tryPlace(probe, 0).placed();
      fitsEmpty.put(key, known);
    }
    return known;
  }

  /** A "never fits" decision for a job that does not fit the empty cluster. */
  public Decision neverFits(JobRequest job, Decision blocked) {
    List<Reason> reasons = new ArrayList<>();
    reasons.add(
        new Reason(
            NEVER_FITS,
            ENGINE,
            "job "
                + job.jobId()
                + " does not fit the cluster even with nothing running (shape "
                + job.shape()
                + ", replicas "
                + job.replicas()
                + ")",
            state.nodeCount()));
    reasons.addAll(blocked.reasons());
    return new Decision(
        job.jobId(), blocked.policy(), false, blocked.replicas(), List.of(), List.of(), reasons);
  }

  private Decision attempt(JobRequest job, double now, boolean commit) {
    String policyName = policyOf(job);
    Policy policy = policies.get(policyName);
    int wanted = job.replicas().max();
    if (policy == null) {
      return new Decision(
          job.jobId(),
          policyName,
          false,
          wanted,
          List.of(),
          List.of(),
          List.of(
              new Reason(
                  UNKNOWN_POLICY,
                  ENGINE,
                  "policy '" + policyName + "' is not one of " + policies.keySet(),
                  0)));
    }
    boolean auto = job.replicas() instanceof Replicas.Auto;
    // Right-sized replicas share the work; during the trial each is assumed to do 1/max of it.
    double trialWork = auto ? job.soloSeconds() / wanted : job.soloSeconds();
    CycleState cycle = new CycleState();
    List<Reserved> reserved = new ArrayList<>();
    List<Candidate> top = List.of();
    List<Reason> reasons = List.of();
    for (int i = 0; i < wanted; i++) {
      PodContext ctx =
          new PodContext(job, job.podName(i), trialWork, now, predictions, config, state, demand);
      Search search = search(policy, cycle, ctx, i == 0 ? config.topCandidates() : 0, false);
      if (i == 0) {
        top = search.top;
      }
      if (search.best.isEmpty()) {
        if (!auto || i == 0) {
          // Re-run with full counting only now: the fast path stops walking at the first fit.
          reasons = search(policy, cycle, ctx, 0, true).reasons();
        }
        break;
      }
      Optional<Reserved> r = reserve(policy, cycle, ctx, search.best.get());
      if (r.isEmpty()) {
        reasons = List.of(new Reason("ReserveFailed", ENGINE, "reserve failed for " + ctx, 1));
        break;
      }
      reserved.add(r.get());
    }
    int n = reserved.size();
    if (auto && n > 0) {
      n = rightSize(job, reserved);
      while (reserved.size() > n) {
        rollback(policy, cycle, job, now, reserved.remove(reserved.size() - 1));
      }
      double work = job.soloSeconds() / n;
      for (Reserved r : reserved) {
        ReservedPod pod = r.pod;
        pod.predict(now + work / pod.throughput(), pod.throughput());
      }
    }
    List<String> names = reserved.stream().map(r -> r.pod.podName()).toList();
    int gang = auto ? Math.max(n, 1) : wanted;
    for (Permit permit : policy.permits()) {
      Status s = permit.permit(cycle, job, auto && n > 0 ? n : wanted, names);
      if (!s.passes() && reasons.isEmpty()) {
        reasons = List.of(new Reason(s.reasonCode(), permit.name(), s.message(), 1));
      }
      if (!s.passes()) {
        n = -1;
      }
    }
    boolean placed = n > 0 && reserved.size() == (auto ? n : wanted);
    List<PodPlacement> placements = new ArrayList<>();
    if (placed) {
      for (Reserved r : reserved) {
        ReservedPod p = r.pod;
        placements.add(
            new PodPlacement(
                p.podName(), p.node().name(), p.slots(), p.predictedEndSeconds() - now));
      }
    }
    if (!placed || !commit) {
      for (int i = reserved.size() - 1; i >= 0; i--) {
        rollback(policy, cycle, job, now, reserved.get(i));
      }
    }
    return new Decision(
        job.jobId(),
        policyName,
        placed,
        placed ? reserved.size() : gang,
        placements,
        top,
        placed ? List.of() : reasons);
  }

  /** T(N) of the class javadoc over the placed prefix; returns the best N (smallest on ties). */
  private int rightSize(JobRequest job, List<Reserved> reserved) {
    int best = 1;
    double bestT = Double.POSITIVE_INFINITY;
    for (int n = 1; n <= reserved.size(); n++) {
      List<Reserved> prefix = reserved.subList(0, n);
      double worst = 1.0;
      Map<Node, Integer> perNode = new HashMap<>();
      int maxOnNode = 0;
      for (Reserved r : prefix) {
        worst = Math.min(worst, throughputInPrefix(job, r, prefix));
        maxOnNode = Math.max(maxOnNode, perNode.merge(r.pod.node(), 1, Integer::sum));
      }
      double t =
          (job.soloSeconds() / n) / Math.max(worst, MIN_THROUGHPUT)
              + (maxOnNode - 1) * config.podStartSeconds();
      if (t < bestT) {
        bestT = t;
        best = n;
      }
    }
    return best;
  }

  /** Rate of a replica if only the given prefix of its gang were placed. */
  private double throughputInPrefix(JobRequest job, Reserved r, List<Reserved> prefix) {
    if (r.pod.cards().isEmpty() || job.shape().isWhole()) {
      return 1.0;
    }
    Card card = r.pod.cards().get(0);
    List<String> with = new ArrayList<>(r.othersBefore);
    for (Reserved s : prefix) {
      if (s != r && s.pod.cards().get(0) == card) {
        with.add(job.app());
      }
    }
    return predictions.combinedThroughput(job.app(), with);
  }

  private Optional<Reserved> reserve(Policy policy, CycleState cycle, PodContext ctx, Choice c) {
    List<String> othersBefore = List.of();
    List<Integer> indexes = new ArrayList<>();
    for (Card card : c.view.wholeCards()) {
      indexes.add(card.index());
    }
    double throughput = 1.0;
    if (c.view.card().isPresent()) {
      Card card = c.view.card().get();
      indexes.add(card.index());
      othersBefore = new ArrayList<>();
      for (ReservedPod t : card.tenants()) {
        if (!t.jobId().equals(ctx.job().jobId())) {
          othersBefore.add(t.app());
        }
      }
      throughput =
          Math.max(predictions.combinedThroughput(ctx.app(), card.tenantApps()), MIN_THROUGHPUT);
    }
    var reservation =
        new PodReservation(
            ctx.podName(),
            ctx.job().jobId(),
            ctx.app(),
            ctx.shape(),
            c.view.node().name(),
            indexes,
            ctx.nowSeconds(),
            ctx.nowSeconds() + ctx.workSeconds() / throughput,
            throughput);
    int done = 0;
    for (Reserve r : policy.reserves()) {
      if (!r.reserve(cycle, ctx, reservation).passes()) {
        for (int i = done - 1; i >= 0; i--) {
          if (policy.reserves().get(i) instanceof Unreserve u) {
            u.unreserve(cycle, ctx, ctx.podName());
          }
        }
        return Optional.empty();
      }
      done++;
    }
    ReservedPod pod = state.pod(ctx.podName()).orElseThrow();
    // The new tenant slows the others: remember their predictions for a rollback, then rescale.
    List<Undo> undo = new ArrayList<>();
    for (Card card : pod.cards()) {
      for (ReservedPod t : card.tenants()) {
        if (t != pod) {
          undo.add(new Undo(t, t.predictedEndSeconds(), t.throughput()));
          t.rerate(throughputOn(t, card), ctx.nowSeconds());
        }
      }
    }
    return Optional.of(new Reserved(pod, othersBefore, undo));
  }

  private void rollback(Policy policy, CycleState cycle, JobRequest job, double now, Reserved r) {
    PodContext ctx =
        new PodContext(job, r.pod.podName(), 0, now, predictions, config, state, demand);
    for (int i = policy.reserves().size() - 1; i >= 0; i--) {
      if (policy.reserves().get(i) instanceof Unreserve u) {
        u.unreserve(cycle, ctx, r.pod.podName());
      }
    }
    for (int i = r.undo.size() - 1; i >= 0; i--) {
      Undo u = r.undo.get(i);
      u.pod.predict(u.end, u.throughput);
    }
  }

  private double throughputOn(ReservedPod tenant, Card card) {
    List<String> others = new ArrayList<>(card.tenantApps());
    others.remove(tenant.app());
    return Math.max(predictions.combinedThroughput(tenant.app(), others), MIN_THROUGHPUT);
  }

  // ---- search ----------------------------------------------------------------------------

  /**
   * Finds the best candidate for one pod. Candidates are class representatives; with {@code
   * countAll} every class is walked to the end so the reasons count every rejected card or node.
   */
  Search search(Policy policy, CycleState cycle, PodContext ctx, int topK, boolean countAll) {
    Reasons reasons = new Reasons();
    List<CandidateView> views = new ArrayList<>();
    if (ctx.shape().isShare() && !countAll && scoresOnlyTenants(policy)) {
      searchGroups(policy, cycle, ctx, reasons, views);
    } else if (ctx.shape().isShare()) {
      for (ShareClass cls : state.shareClasses()) {
        if (!passes(
            policy,
            cycle,
            ctx,
            CandidateView.share(cls.representative()),
            Filter.Scope.GPU,
            reasons,
            cls.size())) {
          continue;
        }
        for (Card card : cls.cards()) {
          CandidateView v = CandidateView.share(card);
          if (passes(policy, cycle, ctx, v, Filter.Scope.NODE, reasons, 1)) {
            views.add(v);
            if (!countAll) {
              break;
            }
          }
        }
      }
    } else {
      int k = ctx.shape().wholeGpus();
      for (NavigableSet<Node> bucket : state.nodesByFreeGpus().values()) {
        Node first = bucket.first();
        if (!passes(policy, cycle, ctx, view(first, k), Filter.Scope.GPU, reasons, bucket.size())) {
          continue;
        }
        for (Node node : bucket) {
          CandidateView v = view(node, k);
          if (passes(policy, cycle, ctx, v, Filter.Scope.NODE, reasons, 1)) {
            views.add(v);
            if (!countAll) {
              break;
            }
          }
        }
      }
    }
    if (!countAll) {
      nominate(policy, cycle, ctx, views);
    }
    return score(policy, cycle, ctx, views, topK, reasons.list());
  }

  /**
   * Adds the candidates the policy's nominating scores rank best (see {@link Nominator}), each
   * passing every filter, unless the search already holds the same place.
   */
  private static void nominate(
      Policy policy, CycleState cycle, PodContext ctx, List<CandidateView> views) {
    List<CandidateView> nominees = null;
    for (Policy.WeightedScore ws : policy.scores()) {
      if (ws.plugin() instanceof Nominator n) {
        if (nominees == null) {
          nominees = new ArrayList<>(2);
        }
        n.nominate(cycle, ctx, v -> passesAll(policy, cycle, ctx, v), nominees);
      }
    }
    if (nominees == null) {
      return;
    }
    for (CandidateView v : nominees) {
      if (!contains(views, v)) {
        views.add(v);
      }
    }
  }

  private static boolean passesAll(
      Policy policy, CycleState cycle, PodContext ctx, CandidateView v) {
    for (Filter f : policy.filters()) {
      if (!f.filter(cycle, ctx, v).passes()) {
        return false;
      }
    }
    return true;
  }

  private static boolean contains(List<CandidateView> views, CandidateView v) {
    for (CandidateView w : views) {
      if (w.node() == v.node()
          && w.card().equals(v.card())
          && w.wholeCards().equals(v.wholeCards())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether no score of the policy depends on capacity (see {@link Score#dependsOnCapacity}),
   * leaving out the scores that nominate their own candidates ({@link Nominator}).
   */
  private static boolean scoresOnlyTenants(Policy policy) {
    for (Policy.WeightedScore ws : policy.scores()) {
      if (ws.plugin().dependsOnCapacity() && !(ws.plugin() instanceof Nominator)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Share candidates of a policy whose scores depend only on the tenants: one per {@link AppGroup},
   * the first card in node order then index that passes every filter. Filters that depend only on
   * the tenant apps are asked once per group (on its first card); the others per card, and only on
   * cards with the pod's compute and GPU memory free (the state refuses any other), which the
   * group's per-block bounds find without visiting every card. Reasons here count only the
   * app-level rejections (by group size); a failed search is re-run on the class path to count
   * every rejection.
   */
  private void searchGroups(
      Policy policy, CycleState cycle, PodContext ctx, Reasons reasons, List<CandidateView> views) {
    List<Filter> perGroup = new ArrayList<>();
    List<Filter> perCard = new ArrayList<>();
    for (Filter f : policy.filters()) {
      if (f.scope() == Filter.Scope.GPU && !f.dependsOnCapacity()) {
        perGroup.add(f);
      }
    }
    for (Filter f : policy.filters()) {
      if (f.scope() == Filter.Scope.GPU && f.dependsOnCapacity()) {
        perCard.add(f);
      }
    }
    for (Filter f : policy.filters()) {
      if (f.scope() == Filter.Scope.NODE) {
        perCard.add(f);
      }
    }
    int milli = ctx.shape().gpuMilli();
    long memory = ctx.shape().gpuMemoryMiB();
    AppGroup.CardTest fits =
        card -> {
          CandidateView v = CandidateView.share(card);
          for (int i = 0, n = perCard.size(); i < n; i++) {
            if (!perCard.get(i).filter(cycle, ctx, v).passes()) {
              return false;
            }
          }
          return true;
        };
    groups:
    for (AppGroup group : state.appGroups()) {
      if (!perGroup.isEmpty()) {
        CandidateView rep = CandidateView.share(group.first());
        for (int i = 0, n = perGroup.size(); i < n; i++) {
          Filter f = perGroup.get(i);
          Status s = f.filter(cycle, ctx, rep);
          if (!s.passes()) {
            reasons.add(f.name(), s, group.size());
            continue groups;
          }
        }
      }
      Card card = group.firstFitting(milli, memory, fits);
      if (card != null) {
        views.add(CandidateView.share(card));
      }
    }
  }

  private static CandidateView view(Node node, int wholeGpus) {
    if (wholeGpus == 0) {
      return CandidateView.cpuOnly(node);
    }
    List<Card> cards = new ArrayList<>(wholeGpus);
    for (Card c : node.cards()) {
      if (cards.size() == wholeGpus) {
        break;
      }
      if (c.isEmpty()) {
        cards.add(c);
      }
    }
    return CandidateView.whole(node, cards);
  }

  private static boolean passes(
      Policy policy,
      CycleState cycle,
      PodContext ctx,
      CandidateView v,
      Filter.Scope scope,
      Reasons reasons,
      int weight) {
    for (Filter f : policy.filters()) {
      if (f.scope() != scope) {
        continue;
      }
      Status s = f.filter(cycle, ctx, v);
      if (!s.passes()) {
        reasons.add(f.name(), s, weight);
        return false;
      }
    }
    return true;
  }

  private Search score(
      Policy policy,
      CycleState cycle,
      PodContext ctx,
      List<CandidateView> views,
      int topK,
      List<Reason> reasons) {
    int n = views.size();
    if (n == 0) {
      return new Search(Optional.empty(), List.of(), reasons);
    }
    var scores = policy.scores();
    double[][] norm = new double[scores.size()][n];
    double[] total = new double[n];
    for (int s = 0; s < scores.size(); s++) {
      var ws = scores.get(s);
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      double[] raw = norm[s];
      for (int i = 0; i < n; i++) {
        raw[i] = ws.plugin().score(cycle, ctx, views.get(i));
        min = Math.min(min, raw[i]);
        max = Math.max(max, raw[i]);
      }
      for (int i = 0; i < n; i++) {
        // Min-max to 0..100; equal raw scores mean no preference (all 100).
        raw[i] = max > min ? 100.0 * (raw[i] - min) / (max - min) : 100.0;
        total[i] += ws.weight() * raw[i];
      }
    }
    int best = 0;
    for (int i = 1; i < n; i++) {
      if (better(i, best, total, views)) {
        best = i;
      }
    }
    List<Candidate> top = List.of();
    if (topK > 0) {
      // Selection, not a sort: only the best few are explained.
      int k = Math.min(topK, n);
      int[] chosen = new int[k];
      top = new ArrayList<>(k);
      for (int j = 0; j < k; j++) {
        int pick = -1;
        for (int i = 0; i < n; i++) {
          if (!taken(chosen, j, i) && (pick < 0 || better(i, pick, total, views))) {
            pick = i;
          }
        }
        chosen[j] = pick;
        Map<String, Double> plugin = new LinkedHashMap<>();
        for (int s = 0; s < scores.size(); s++) {
          plugin.put(scores.get(s).plugin().name(), norm[s][pick]);
        }
        top.add(
            new Candidate(
                views.get(pick).node().name(), indexes(views.get(pick)), total[pick], plugin));
      }
    }
    return new Search(Optional.of(new Choice(views.get(best))), top, reasons);
  }

  private static boolean taken(int[] chosen, int count, int i) {
    for (int j = 0; j < count; j++) {
      if (chosen[j] == i) {
        return true;
      }
    }
    return false;
  }

  /** Higher total first; ties by node order, then lowest card index. */
  private static boolean better(int a, int b, double[] total, List<CandidateView> views) {
    if (total[a] != total[b]) {
      return total[a] > total[b];
    }
    CandidateView va = views.get(a);
    CandidateView vb = views.get(b);
    if (va.node().ordinal() != vb.node().ordinal()) {
      return va.node().ordinal() < vb.node().ordinal();
    }
    return firstIndex(va) < firstIndex(vb);
  }

  private static int firstIndex(CandidateView v) {
    if (v.card().isPresent()) {
      return v.card().get().index();
    }
    return v.wholeCards().isEmpty() ? -1 : v.wholeCards().get(0).index();
  }

  static List<Integer> indexes(CandidateView v) {
    if (v.card().isPresent()) {
      return List.of(v.card().get().index());
    }
    return v.wholeCards().stream().map(Card::index).toList();
  }

  record Choice(CandidateView view) {}

  record Search(Optional<Choice> best, List<Candidate> top, List<Reason> reasons) {}

  private record Undo(ReservedPod pod, double end, double throughput) {}

  /** A reserved replica, what it displaced, and how to undo it. */
  private record Reserved(ReservedPod pod, List<String> othersBefore, List<Undo> undo) {}

  /** Failing filters counted per (plugin, code). */
  private static final class Reasons {
    private final Map<String, Reason> byKey = new LinkedHashMap<>();

    void add(String plugin, Status s, int count) {
      byKey.merge(
          plugin + "/" + s.reasonCode(),
          new Reason(s.reasonCode(), plugin, s.message(), count),
          (a, b) -> new Reason(a.code(), a.plugin(), a.message(), a.count() + b.count()));
    }

    List<Reason> list() {
      return List.copyOf(byKey.values());
    }
  }
}
