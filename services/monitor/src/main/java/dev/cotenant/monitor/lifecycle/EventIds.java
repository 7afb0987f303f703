package dev.cotenant.monitor.lifecycle;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Event ids derived from what they report, so that a second report of the same transition (an
 * informer relist, a restarted monitor) carries the same id and consumers, who de-duplicate on it,
 * count it once.
 */
public final class EventIds {
  private EventIds() {}

  public static String podStarted(String podUid) {
    return of("pod-started/" + podUid);
  }

  public static String podFinished(String podUid) {
    return of("pod-finished/" + podUid);
  }

  /** One GPU at one instant: the same scrape published twice is one sample. */
  public static String gpuSample(String node, int gpuIndex, String uuid, long epochMillis) {
    return of("gpu-sample/" + node + "/" + gpuIndex + "/" + uuid + "/" + epochMillis);
  }

  private static String of(String name) {
    return UUID.nameUUIDFromBytes(("cotenant.monitor/" + name).getBytes(StandardCharsets.UTF_8))
        .toString();
  }
}
