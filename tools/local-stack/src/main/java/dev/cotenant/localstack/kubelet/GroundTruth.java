package dev.cotenant.localstack.kubelet;

import dev.cotenant.interference.AppInfo;
import dev.cotenant.interference.InterferenceFile;
import dev.cotenant.interference.MatrixModel;
import dev.cotenant.sim.workload.WorkloadCsv;
import dev.cotenant.sim.workload.WorkloadJob;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What the simulated kubelets know and the rest of Cotenant must learn: the hidden interference
 * file ({@code cotenant.interference/v1}) and each app's run time alone. Only the kubelets read it;
 * placement and the profiler see run times and telemetry, as on a real cluster.
 *
 * @param model the interference file as the simulator's truth
 * @param soloSeconds each app's run time alone, from a workload file (the median over its jobs)
 * @param defaultSoloSeconds the run time alone of a pod whose app has none and that names none
 * @param source where the truth came from, for the ready line
 */
public record GroundTruth(
    MatrixModel model, Map<String, Double> soloSeconds, double defaultSoloSeconds, String source) {

  /** Seed 001's calibrated ground truth and workload, shipped with {@code tools/eval}. */
  static final String SEED_SCENARIO = "/dev/cotenant/eval/scenarios/seed001/";

  public GroundTruth {
    soloSeconds = Collections.unmodifiableMap(new LinkedHashMap<>(soloSeconds));
    if (!(defaultSoloSeconds > 0) || Double.isInfinite(defaultSoloSeconds)) {
      throw new IllegalArgumentException(
          "default solo seconds must be a positive number, got " + defaultSoloSeconds);
    }
  }

  /**
   * Reads the truth: {@code interference} (default: seed 001's) and the apps' solo run times from
   * {@code workload} (default: seed 001's workload when the interference file is seed 001's too,
   * else none).
   */
  public static GroundTruth load(
      Optional<Path> interference, Optional<Path> workload, double defaultSoloSeconds) {
    MatrixModel model =
        new MatrixModel(
            interference
                .map(InterferenceFile::read)
                .orElseGet(
                    () ->
                        InterferenceFile.read(
                            resource(SEED_SCENARIO + "interference.json"),
                            "seed001/interference.json")));
    List<WorkloadJob> jobs =
        workload
            .map(WorkloadCsv::read)
            .orElseGet(
                () ->
                    interference.isPresent()
                        ? List.of()
                        : WorkloadCsv.read(
                            resource(SEED_SCENARIO + "workload.csv"), "seed001/workload.csv"));
    String source =
        interference.map(Path::toString).orElse("seed001/interference.json")
            + workload
                .map(w -> " + " + w)
                .orElse(interference.isPresent() ? "" : " + seed001/workload.csv");
    return new GroundTruth(model, soloSecondsByApp(jobs), defaultSoloSeconds, source);
  }

  /**
   * The median run time alone of each app's pods: a fixed job's per replica, a right-sized job's
   * whole work (it runs on one replica alone).
   */
  static Map<String, Double> soloSecondsByApp(List<WorkloadJob> jobs) {
    Map<String, List<Double>> byApp = new LinkedHashMap<>();
    for (WorkloadJob job : jobs) {
      byApp.computeIfAbsent(job.app(), a -> new ArrayList<>()).add(job.soloDurationSeconds());
    }
    Map<String, Double> median = new LinkedHashMap<>();
    byApp.forEach(
        (app, times) -> {
          List<Double> sorted = times.stream().sorted().toList();
          int n = sorted.size();
          median.put(
              app,
              n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2);
        });
    return median;
  }

  /** Run time alone of a pod: its own annotation, else its app's, else the default. */
  public double soloSecondsOf(String app, OptionalDouble annotated) {
    if (annotated.isPresent()) {
      return annotated.getAsDouble();
    }
    return soloSeconds.getOrDefault(app, defaultSoloSeconds);
  }

  public Optional<AppInfo> profile(String app) {
    return model.profile(app);
  }

  private static Reader resource(String path) {
    InputStream in = GroundTruth.class.getResourceAsStream(path);
    if (in == null) {
      throw new UncheckedIOException(new IOException("missing resource " + path));
    }
    return new InputStreamReader(in, StandardCharsets.UTF_8);
  }
}
