package dev.cotenant.interference.learn;

import dev.cotenant.interference.AppInfo;
import dev.cotenant.interference.InterferenceMatrix;
import dev.cotenant.interference.InterferenceModel;
import dev.cotenant.interference.MatrixModel;
import dev.cotenant.interference.PairEntry;
import dev.cotenant.interference.Prediction;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;

/**
 * The interference model learned from runs: an {@link AppRegression} per app turns observations
 * into solo rates and pair throughputs, and a {@link FactorModel} fitted on the pairs the runs pin
 * down predicts the rest (and is the prior of the regressions). A matrix imported by an operator
 * counts as measured until runs of the pair say otherwise.
 *
 * <p>Writers ({@link #observe}, {@link #importMatrix}, {@link #updateProfile}) are serialised; each
 * publishes a fresh immutable table of predictions, so {@link #predict} is a lock-free pair of hash
 * lookups, as the engine needs.
 */
public final class LearnedModel implements InterferenceModel {

  /**
   * @param factor the predictor's configuration
   * @param refitEvery observations between refits of the predictor (1 = after each)
   * @param runNoise relative run-to-run noise of one run's mean rate
   * @param measuredSd a pair whose posterior standard deviation is at most this is MEASURED
   */
  public record Config(
      FactorModel.Config factor, int refitEvery, double runNoise, double measuredSd) {
    public Config {
      if (refitEvery < 1 || !(runNoise > 0) || !(measuredSd > 0)) {
        throw new IllegalArgumentException(
            "refitEvery >= 1, runNoise > 0, measuredSd > 0 required");
      }
    }

    /**
     * Tuned on the gavel-p100 scenario with {@code --knowledge learned}: runs inform effects far
     * more than single cells do, so the effects take a lighter ridge than the matrix predictor's.
     */
    public static Config defaults() {
      return new Config(new FactorModel.Config(3, 0.1, 0.1, 1.0, 50, 0, 7), 1, 0.05, 0.05);
    }

    public Config withRefitEvery(int n) {
      return new Config(factor, n, runNoise, measuredSd);
    }
  }

  private final Config config;
  private final Map<String, AppRegression> regressions = new HashMap<>();
  // The latest completed runs per app, which the predictor refits from: bounded so a refit costs
  // the same after a year as after a week, and recent behaviour (new drivers, new code) counts.
  private final Map<String, Deque<Observation>> runs = new LinkedHashMap<>();

  /** Runs per app the predictor refits from. */
  static final int RUNS_KEPT_PER_APP = 200;

  private final Map<String, AppRegression.Solution> solutions = new HashMap<>();
  private final Map<String, AppInfo> profiles = new HashMap<>();
  private final Map<String, Map<String, PairEntry>> imported = new HashMap<>();
  private final Set<String> apps = new LinkedHashSet<>();
  private FactorModel factor;
  private long sinceRefit;
  private volatile Table table = new Table(Map.of(), MatrixModel.TIME_SLICING_PRIOR, Map.of());

  /** What readers see: predictions per app, the prior for anything else, profiles. */
  private record Table(
      Map<String, Map<String, Prediction>> predictions,
      Prediction prior,
      Map<String, Evidence> evidence) {}

  /** Per app: observations, solo rate, and per co-tenant the runs behind each pair. */
  private record Evidence(long observations, double soloRate, Map<String, Long> counts) {}

  public LearnedModel() {
    this(Config.defaults());
  }

  public LearnedModel(Config config) {
    this.config = config;
  }

  /**
   * Learns from one finished pod: its app's regression and row of predictions are updated at once
   * (tens of microseconds); the predictor refits when {@code refitEvery} observations are due.
   */
  public synchronized void observe(Observation o) {
    int known = apps.size();
    add(o);
    solutions.put(o.app(), updateRow(o.app()));
    if (++sinceRefit >= config.refitEvery()) {
      refitLocked();
    } else if (apps.size() == known) {
      publishRow(o.app());
    } else {
      publish();
    }
  }

  /**
   * Learns from many runs at once (a restart replaying its history, a consumer's batch) with one
   * refit at the end. The result depends on the runs, not on how they were split into calls.
   */
  public synchronized void observeAll(java.util.Collection<Observation> batch) {
    for (Observation o : batch) {
      add(o);
    }
    for (String app : batch.stream().map(Observation::app).distinct().toList()) {
      solutions.put(app, solveRow(app));
    }
    if (!batch.isEmpty()) {
      refitLocked();
    }
  }

  /** Solo profiles of many apps at once, with one refit. */
  public synchronized void updateProfiles(java.util.Collection<AppInfo> solo) {
    for (AppInfo info : solo) {
      apps.add(info.name());
      profiles.merge(info.name(), info, LearnedModel::merge);
    }
    if (!solo.isEmpty()) {
      refitLocked();
    }
  }

  /**
   * Takes a known matrix's pairs as measured and its apps' solo profiles; replaces an earlier
   * import.
   */
  public synchronized void importMatrix(InterferenceMatrix known) {
    imported.clear();
    for (AppInfo app : known.apps()) {
      apps.add(app.name());
      profiles.merge(app.name(), app, LearnedModel::merge);
    }
    for (PairEntry pair : known.pairs()) {
      imported.computeIfAbsent(pair.app(), a -> new HashMap<>()).put(pair.with(), pair);
    }
    refitLocked();
  }

  /** Solo telemetry of an app (features for cold start); fields it lacks keep earlier values. */
  public synchronized void updateProfile(AppInfo solo) {
    apps.add(solo.name());
    profiles.merge(solo.name(), solo, LearnedModel::merge);
    refitLocked();
  }

  /** Refits the predictor now and re-solves every app against it. */
  public synchronized void refit() {
    refitLocked();
  }

  @Override
  public Prediction predict(String app, String with) {
    Table t = table;
    Map<String, Prediction> row = t.predictions().get(app);
    Prediction p = row == null ? null : row.get(with);
    return p == null ? t.prior() : p;
  }

  @Override
  public Optional<AppInfo> profile(String app) {
    Table t = table;
    Evidence e = t.evidence().get(app);
    AppInfo known;
    synchronized (this) {
      known = profiles.get(app);
    }
    if (e == null || !(e.soloRate() > 0)) {
      return Optional.ofNullable(known);
    }
    AppInfo base = known == null ? AppInfo.named(app) : known;
    return Optional.of(
        new AppInfo(
            app,
            OptionalDouble.of(e.soloRate()),
            base.gpuMemoryMiB(),
            base.gpuUtilPercent(),
            base.cpuMilli(),
            base.smActivity(),
            base.dramActivity()));
  }

  /** Finished runs of {@code app} learned from. */
  public long observations(String app) {
    Evidence e = table.evidence().get(app);
    return e == null ? 0 : e.observations();
  }

  /** Solo run time per unit of work (per run when runs report no work), once runs were seen. */
  public OptionalDouble soloSeconds(String app) {
    Evidence e = table.evidence().get(app);
    return e == null || !(e.soloRate() > 0)
        ? OptionalDouble.empty()
        : OptionalDouble.of(1 / e.soloRate());
  }

  public synchronized Set<String> apps() {
    return Set.copyOf(apps);
  }

  /**
   * Everything the model believes, in the interference file format: measured pairs with their
   * counts and uncertainty, predicted ones marked, incompatible ones flagged. Apps sorted by name.
   */
  public InterferenceMatrix toMatrix(String device) {
    Table t = table;
    List<String> names;
    List<AppInfo> infos = new ArrayList<>();
    synchronized (this) {
      names = new ArrayList<>(new TreeSet<>(apps));
    }
    for (String name : names) {
      infos.add(profile(name).orElse(AppInfo.named(name)));
    }
    List<PairEntry> pairs = new ArrayList<>();
    for (String a : names) {
      Map<String, Prediction> row = t.predictions().getOrDefault(a, Map.of());
      Evidence evidence = t.evidence().get(a);
      for (String b : names) {
        Prediction p = row.get(b);
        if (p == null || p.source() == Prediction.Source.PRIOR) {
          continue;
        }
        if (p.isIncompatible()) {
          pairs.add(PairEntry.incompatible(a, b));
          continue;
        }
        long count = evidence == null ? 0 : evidence.counts().getOrDefault(b, 0L);
        double value = Math.max(1e-3, Math.min(PairEntry.MAX_THROUGHPUT, p.normalizedThroughput()));
        PairEntry.Evidence how =
            p.source() == Prediction.Source.PREDICTED && count == 0
                ? PairEntry.Evidence.predicted(p.uncertainty())
                : new PairEntry.Evidence(
                    p.source() == Prediction.Source.PREDICTED,
                    count,
                    OptionalDouble.of(p.uncertainty()));
        pairs.add(new PairEntry(a, b, OptionalDouble.of(value), false, how));
      }
    }
    return new InterferenceMatrix(device, infos, pairs);
  }

  // --- internals, called with the lock held ---

  private void add(Observation o) {
    apps.add(o.app());
    apps.addAll(o.gpuShares().keySet());
    regressions.computeIfAbsent(o.app(), a -> new AppRegression()).add(o);
    if (!o.oomKilled()) {
      Deque<Observation> mine = runs.computeIfAbsent(o.app(), a -> new ArrayDeque<>());
      mine.addLast(o);
      if (mine.size() > RUNS_KEPT_PER_APP) {
        mine.removeFirst();
      }
    }
  }

  private void refitLocked() {
    sinceRefit = 0;
    // By name, not arrival: a refit is then a function of the data alone, so a model rebuilt from
    // a database equals the live one however their updates were interleaved.
    List<String> names = new ArrayList<>(new TreeSet<>(apps));
    Map<String, double[]> features = new HashMap<>();
    for (String name : names) {
      features.put(name, features(name));
    }
    Map<String, Integer> index = ObservationFit.indexOf(names);
    List<ObservationFit.Row> rows = new ArrayList<>();
    imported.forEach(
        (a, row) ->
            row.forEach(
                (b, pair) ->
                    pair.normalizedThroughput()
                        .ifPresent(
                            t ->
                                rows.add(
                                    new ObservationFit.Row(
                                        index.get(a),
                                        Double.NaN,
                                        new int[] {index.get(b)},
                                        new double[] {1},
                                        1 - t)))));
    List<Observation> fitted = new ArrayList<>();
    for (String name : names) {
      fitted.addAll(runs.getOrDefault(name, new ArrayDeque<>()));
    }
    for (Observation run : fitted) {
      List<Map.Entry<String, Double>> beside =
          run.gpuShares().entrySet().stream().filter(e -> e.getValue() > 0).toList();
      int[] with = new int[beside.size()];
      double[] share = new double[beside.size()];
      for (int i = 0; i < with.length; i++) {
        with[i] = index.get(beside.get(i).getKey());
        share[i] = beside.get(i).getValue();
      }
      rows.add(
          new ObservationFit.Row(
              index.get(run.app()), run.work().orElse(1.0) / run.runSeconds(), with, share, -1));
    }
    // Solo rates start from each app's fastest run (not from earlier solutions, which depend on
    // the order updates came in); the fit alternates them with the pairs.
    double[] soloRates = new double[names.size()];
    java.util.Arrays.fill(soloRates, Double.NaN);
    factor =
        rows.isEmpty()
            ? null
            : ObservationFit.fit(names, rows, soloRates, features, config.factor());
    for (String app : regressions.keySet()) {
      solutions.put(app, solveRow(app));
    }
    publish();
  }

  private double[] features(String app) {
    AppInfo info = profiles.getOrDefault(app, AppInfo.named(app));
    AppRegression.Solution s = solutions.get(app);
    if (s != null && s.soloRate() > 0) {
      info =
          merge(
              info,
              new AppInfo(
                  app,
                  OptionalDouble.of(s.soloRate()),
                  OptionalDouble.empty(),
                  OptionalDouble.empty(),
                  OptionalDouble.empty()));
    }
    return FactorModel.soloFeatures(info);
  }

  /** From scratch: what a refit and a batch do, so they depend on the data alone. */
  private AppRegression.Solution solveRow(String app) {
    return regressions.get(app).solve(with -> priorFor(app, with), config.runNoise(), Double.NaN);
  }

  /** After one more run: starts from the solo rate the last solve found (one pass). */
  private AppRegression.Solution updateRow(String app) {
    AppRegression.Solution last = solutions.get(app);
    return regressions
        .get(app)
        .solve(
            with -> priorFor(app, with),
            config.runNoise(),
            last == null ? Double.NaN : last.soloRate());
  }

  /**
   * The belief about a pair before its runs: imported value, else the predictor, else the prior.
   */
  private FactorModel.Estimate priorFor(String app, String with) {
    PairEntry given = imported.getOrDefault(app, Map.of()).get(with);
    if (given != null && given.normalizedThroughput().isPresent()) {
      return new FactorModel.Estimate(given.normalizedThroughput().getAsDouble(), 0.05);
    }
    if (factor != null) {
      FactorModel.Estimate e = factor.predict(app, with);
      if (e != null) {
        return e;
      }
    }
    Prediction prior = table.prior();
    return new FactorModel.Estimate(prior.normalizedThroughput(), prior.uncertainty());
  }

  /** Republishes one app's row of predictions; the rest of the table is unchanged. */
  private void publishRow(String a) {
    Table old = table;
    AppRegression.Solution solution = solutions.get(a);
    Map<String, PairEntry> given = imported.getOrDefault(a, Map.of());
    Map<String, Prediction> row = new HashMap<>();
    Map<String, Long> counts = new LinkedHashMap<>();
    for (String b : apps) {
      Prediction p = predictionFor(a, b, solution, given.get(b), counts);
      if (p != null) {
        row.put(b, p);
      }
    }
    Map<String, Map<String, Prediction>> predictions = new HashMap<>(old.predictions());
    predictions.put(a, Map.copyOf(row));
    Map<String, Evidence> evidence = new HashMap<>(old.evidence());
    evidence.put(
        a, new Evidence(regressions.get(a).count(), solution.soloRate(), Map.copyOf(counts)));
    table = new Table(Map.copyOf(predictions), old.prior(), Map.copyOf(evidence));
  }

  private void publish() {
    Map<String, Map<String, Prediction>> predictions = new HashMap<>();
    Map<String, Evidence> evidence = new HashMap<>();
    double sum = 0;
    double sumSquares = 0;
    int n = 0;
    for (String a : apps) {
      Map<String, Prediction> row = new HashMap<>();
      AppRegression.Solution solution = solutions.get(a);
      Map<String, PairEntry> given = imported.getOrDefault(a, Map.of());
      Map<String, Long> counts = new LinkedHashMap<>();
      for (String b : apps) {
        Prediction p = predictionFor(a, b, solution, given.get(b), counts);
        if (p != null) {
          row.put(b, p);
          if (p.source() == Prediction.Source.MEASURED) {
            sum += p.normalizedThroughput();
            sumSquares += p.normalizedThroughput() * p.normalizedThroughput();
            n++;
          }
        }
      }
      predictions.put(a, Map.copyOf(row));
      if (solution != null) {
        evidence.put(
            a, new Evidence(regressions.get(a).count(), solution.soloRate(), Map.copyOf(counts)));
      }
    }
    Prediction prior = MatrixModel.TIME_SLICING_PRIOR;
    if (n >= 2) {
      double mean = sum / n;
      double sd = Math.sqrt(Math.max(0, sumSquares / n - mean * mean));
      prior = new Prediction(mean, Math.max(sd, 0.05), Prediction.Source.PRIOR);
    }
    table = new Table(Map.copyOf(predictions), prior, Map.copyOf(evidence));
  }

  private Prediction predictionFor(
      String a,
      String b,
      AppRegression.Solution solution,
      PairEntry given,
      Map<String, Long> counts) {
    AppRegression.Pair observed = solution == null ? null : solution.pairs().get(b);
    if (observed != null) {
      counts.put(b, observed.count());
      if (observed.oomCount() > observed.count()) {
        return Prediction.incompatible();
      }
      if (observed.count() > 0 && Double.isFinite(observed.throughput())) {
        double t = Math.max(1e-3, observed.throughput());
        return new Prediction(
            t,
            observed.uncertainty(),
            observed.uncertainty() <= config.measuredSd()
                ? Prediction.Source.MEASURED
                : Prediction.Source.PREDICTED);
      }
    }
    if (given != null) {
      return given.incompatible()
          ? Prediction.incompatible()
          : new Prediction(
              given.normalizedThroughput().getAsDouble(),
              given.evidence().uncertainty().orElse(0),
              Prediction.Source.MEASURED);
    }
    if (factor != null) {
      FactorModel.Estimate e = factor.predict(a, b);
      if (e != null) {
        return new Prediction(e.throughput(), e.uncertainty(), Prediction.Source.PREDICTED);
      }
    }
    return null;
  }

  private static AppInfo merge(AppInfo old, AppInfo update) {
    return new AppInfo(
        update.name(),
        update.soloRate().isPresent() ? update.soloRate() : old.soloRate(),
        update.gpuMemoryMiB().isPresent() ? update.gpuMemoryMiB() : old.gpuMemoryMiB(),
        update.gpuUtilPercent().isPresent() ? update.gpuUtilPercent() : old.gpuUtilPercent(),
        update.cpuMilli().isPresent() ? update.cpuMilli() : old.cpuMilli(),
        update.smActivity().isPresent() ? update.smActivity() : old.smActivity(),
        update.dramActivity().isPresent() ? update.dramActivity() : old.dramActivity());
  }
}
