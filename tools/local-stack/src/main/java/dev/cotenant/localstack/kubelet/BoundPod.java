package dev.cotenant.localstack.kubelet;

import dev.cotenant.events.PodKeys;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What a kubelet needs of a pod bound to its node, read from the pod object by whoever watches it.
 *
 * @param uid the pod object's uid (a pod deleted and created again under its name is another pod)
 * @param app the profile key the ground truth knows it by
 * @param containers its container names (at least one)
 * @param restartAlways {@code restartPolicy: Always}: a service that runs until deleted
 * @param wholeGpus {@code nvidia.com/gpu} it asks for
 * @param pinnedUuids cards named by {@code cotenant.dev/gpu-uuid} or HAMi's {@code
 *     nvidia.com/use-gpuuuid}
 * @param pinnedIndexes cards named by {@code cotenant.dev/gpu-index}
 * @param shareMemoryMiB GPU memory of a share (Cotenant's annotation or HAMi's {@code
 *     nvidia.com/gpumem}); 0 when it asks for no share
 * @param share whether it asks for a share of one card rather than whole cards
 * @param cpuMilli its CPU request
 * @param soloSeconds its own run time alone ({@code sim.cotenant.dev/solo-seconds}), if it gives
 *     one; else its share of a fan-out's: {@code sim.cotenant.dev/job-solo-seconds} (the whole
 *     job's run time alone on one replica) over its job's replica count ({@code
 *     cotenant.dev/replicas}, written by the scheduler), as a fan-out splits its work by the
 *     replica count it is given, so a right-sized ({@code auto}) job's pods run as the chosen N
 *     says
 * @param exitCode how its main process ends when it completes ({@code sim.cotenant.dev/exit-code})
 * @param scheduledAt when it was bound (its PodScheduled condition), if known
 */
public record BoundPod(
    String uid,
    String namespace,
    String name,
    String node,
    String app,
    String image,
    List<String> containers,
    boolean restartAlways,
    int wholeGpus,
    List<String> pinnedUuids,
    List<Integer> pinnedIndexes,
    boolean share,
    long shareMemoryMiB,
    long cpuMilli,
    OptionalDouble soloSeconds,
    int exitCode,
    Optional<Instant> scheduledAt) {

  public static final String APP = PodKeys.APP;
  public static final String GPU_UUID = PodKeys.GPU_UUID;
  public static final String GPU_INDEX = PodKeys.GPU_INDEX;
  public static final String HAMI_GPU_UUID = PodKeys.HAMI_GPU_UUID;
  public static final String GPU_MILLI = PodKeys.GPU_MILLI;
  public static final String GPU_MEMORY_MIB = PodKeys.GPU_MEMORY_MIB;
  public static final String SOLO_SECONDS = "sim.cotenant.dev/solo-seconds";
  public static final String EXIT_CODE = "sim.cotenant.dev/exit-code";
  public static final String JOB_SOLO_SECONDS = "sim.cotenant.dev/job-solo-seconds";
  public static final String REPLICAS = "cotenant.dev/replicas";

  public BoundPod {
    containers = containers.isEmpty() ? List.of("main") : List.copyOf(containers);
    pinnedUuids = List.copyOf(pinnedUuids);
    pinnedIndexes = List.copyOf(pinnedIndexes);
  }

  public String key() {
    return namespace + "/" + name;
  }

  public boolean usesGpu() {
    return wholeGpus > 0 || share || !pinnedUuids.isEmpty() || !pinnedIndexes.isEmpty();
  }

  /**
   * A pod from its parts as the API shows them. Annotations are free text on any pod: values that
   * do not parse count as absent, as a device plugin ignores what it cannot read.
   *
   * @param hamiMemoryMiB {@code nvidia.com/gpumem} over its containers
   * @param hamiCores {@code nvidia.com/gpucores} over its containers
   */
  public static BoundPod of(
      String uid,
      String namespace,
      String name,
      String node,
      Map<String, String> labels,
      Map<String, String> annotations,
      String image,
      List<String> containers,
      String restartPolicy,
      long cpuMilli,
      long wholeGpus,
      long hamiMemoryMiB,
      long hamiCores,
      Optional<Instant> scheduledAt) {
    String app = annotations.get(APP);
    if (app == null || app.isBlank()) {
      app = labels.get(APP);
    }
    if (app == null || app.isBlank()) {
      app = image == null || image.isBlank() ? name : repositoryName(image);
    }
    long milli = Math.max(0, longOf(annotations.get(GPU_MILLI), 0));
    long shareMemory = Math.max(0, longOf(annotations.get(GPU_MEMORY_MIB), 0));
    if (milli == 0 && shareMemory == 0 && (hamiMemoryMiB > 0 || hamiCores > 0)) {
      milli = Math.min(1000, hamiCores * 10);
      shareMemory = hamiMemoryMiB;
    }
    boolean share = (milli > 0 || shareMemory > 0) && wholeGpus == 0;
    String uuids = annotations.getOrDefault(GPU_UUID, annotations.get(HAMI_GPU_UUID));
    OptionalDouble solo = positive(annotations.get(SOLO_SECONDS));
    OptionalDouble job = positive(annotations.get(JOB_SOLO_SECONDS));
    if (solo.isEmpty() && job.isPresent()) {
      solo =
          OptionalDouble.of(job.getAsDouble() / Math.max(1, longOf(annotations.get(REPLICAS), 1)));
    }
    return new BoundPod(
        uid,
        namespace,
        name,
        node,
        app,
        image == null ? "" : image,
        containers,
        "Always".equals(restartPolicy),
        (int) Math.min(Integer.MAX_VALUE, Math.max(0, wholeGpus)),
        split(uuids),
        split(annotations.get(GPU_INDEX)).stream()
            .map(i -> (int) longOf(i, -1))
            .filter(i -> i >= 0)
            .toList(),
        share,
        share ? shareMemory : 0,
        Math.max(0, cpuMilli),
        solo,
        (int) Math.max(0, Math.min(255, longOf(annotations.get(EXIT_CODE), 0))),
        scheduledAt);
  }

  /** {@code ghcr.io/acme/resnet50:1.2@sha256:…} → {@code resnet50}, as placement names apps. */
  static String repositoryName(String image) {
    String ref = image;
    int at = ref.indexOf('@');
    if (at >= 0) {
      ref = ref.substring(0, at);
    }
    int slash = ref.lastIndexOf('/');
    int colon = ref.lastIndexOf(':');
    if (colon > slash) {
      ref = ref.substring(0, colon);
    }
    return ref.substring(slash + 1);
  }

  private static List<String> split(String csv) {
    List<String> out = new ArrayList<>();
    if (csv != null) {
      for (String part : csv.split(",")) {
        if (!part.isBlank()) {
          out.add(part.trim());
        }
      }
    }
    return out;
  }

  /** A positive finite number of seconds, else absent (the app's run time applies). */
  private static OptionalDouble positive(String value) {
    try {
      double seconds = value == null ? Double.NaN : Double.parseDouble(value.trim());
      return seconds > 0 && Double.isFinite(seconds)
          ? OptionalDouble.of(seconds)
          : OptionalDouble.empty();
    } catch (NumberFormatException e) {
      return OptionalDouble.empty();
    }
  }

  private static long longOf(String s, long absent) {
    if (s == null) {
      return absent;
    }
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return absent;
    }
  }
}
