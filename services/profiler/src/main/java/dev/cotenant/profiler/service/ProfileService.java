package dev.cotenant.profiler.service;

import dev.cotenant.interference.InterferenceFile;
import dev.cotenant.interference.InterferenceMatrix;
import dev.cotenant.interference.learn.LearnedModel;
import dev.cotenant.interference.learn.Observation;
import dev.cotenant.profiler.ingest.PodDirectory;
import dev.cotenant.profiler.ingest.SoloStats;
import dev.cotenant.profiler.repository.ProfilerRepository;
import dev.cotenant.profiler.repository.ProfilerRepository.Snapshot;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.StringReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Owns the live {@link LearnedModel}: rebuilt from the database at start, then fed what the
 * consumers stored and what an admin imports. Every change bumps {@link #version()}, which the
 * publisher watches. Each input is stored before it reaches the model, so a restart replays the
 * database into a new model and loses nothing.
 */
@ApplicationScoped
public class ProfileService {
  private static final Logger LOG = Logger.getLogger(ProfileService.class);
  private static final Duration LOAD_TIMEOUT = Duration.ofMinutes(2);

  private final ProfilerRepository repository;
  private final PodDirectory pods = new PodDirectory();
  private final Map<String, SoloStats> solo = new ConcurrentHashMap<>();
  private final AtomicLong version = new AtomicLong();
  private volatile LearnedModel model = new LearnedModel();
  private volatile Snapshot loaded;

  public ProfileService(ProfilerRepository repository) {
    this.repository = repository;
  }

  /**
   * The model as the database says it should be: the imported matrix first, then every observation
   * in the order stored, then the solo profiles.
   */
  public static LearnedModel rebuild(Snapshot snapshot) {
    LearnedModel rebuilt = new LearnedModel();
    snapshot
        .importedMatrix()
        .ifPresent(
            body -> rebuilt.importMatrix(InterferenceFile.read(new StringReader(body), "import")));
    rebuilt.observeAll(snapshot.observations());
    rebuilt.updateProfiles(SoloStats.toAppInfos(snapshot.solo()));
    return rebuilt;
  }

  /** Reads the database and replaces the model; blocks (called once, off the event loop). */
  @WithSpan("ProfileService.load")
  public void load() {
    long t0 = System.nanoTime();
    Snapshot snapshot = repository.load().await().atMost(LOAD_TIMEOUT);
    model = rebuild(snapshot);
    pods.putAll(snapshot.pods());
    solo.putAll(snapshot.solo());
    loaded = snapshot;
    version.incrementAndGet();
    LOG.infof(
        "model rebuilt from the database in %d ms: %d observations, %d solo profiles, %s",
        (System.nanoTime() - t0) / 1_000_000,
        snapshot.observations().size(),
        snapshot.solo().size(),
        snapshot.importedMatrix().isPresent() ? "an imported matrix" : "no imported matrix");
  }

  /** A model rebuilt from what is stored now, beside the live one (to check restart safety). */
  public Uni<LearnedModel> rebuildFromDatabase() {
    return repository.load().map(ProfileService::rebuild);
  }

  /** What the database held at start; empty until {@link #load()} has run. */
  public Optional<Snapshot> loaded() {
    return Optional.ofNullable(loaded);
  }

  public boolean ready() {
    return loaded != null;
  }

  public LearnedModel model() {
    return model;
  }

  public PodDirectory pods() {
    return pods;
  }

  /** Changes so far; moves whenever a profile may have changed. */
  public long version() {
    return version.get();
  }

  /** Runs just stored (not seen before), in order. */
  public void learned(List<Observation> observations) {
    if (observations.isEmpty()) {
      return;
    }
    model.observeAll(observations);
    version.incrementAndGet();
  }

  /** Solo aggregates just stored. */
  public void soloUpdated(Map<String, SoloStats> apps) {
    if (apps.isEmpty()) {
      return;
    }
    solo.putAll(apps);
    model.updateProfiles(SoloStats.toAppInfos(apps));
    version.incrementAndGet();
  }

  public Optional<SoloStats> solo(String app) {
    return Optional.ofNullable(solo.get(app));
  }

  /**
   * Parses a matrix in the interference file format, stores it in place of the previous import,
   * then teaches it to the model. A body that does not parse throws {@link
   * dev.cotenant.interference.InterferenceFormatException} before anything is stored.
   */
  @WithSpan("ProfileService.importMatrix")
  public Uni<InterferenceMatrix> importMatrix(String body) {
    InterferenceMatrix matrix = InterferenceFile.read(new StringReader(body), "request body");
    return repository
        .replaceImport(matrix.device(), body)
        .map(
            stored -> {
              model.importMatrix(matrix);
              version.incrementAndGet();
              return matrix;
            });
  }
}
