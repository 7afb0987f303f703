package dev.cotenant.profiler.ingest;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which app each pod runs, learnt from pod lifecycle events: telemetry names pods, profiles are per
 * app. Written by the job-events consumer, read by the telemetry path on another thread.
 */
public final class PodDirectory {
  private final Map<String, String> appByPod = new ConcurrentHashMap<>();

  public void put(String pod, String app) {
    appByPod.put(pod, app);
  }

  public void putAll(Map<String, String> pods) {
    appByPod.putAll(pods);
  }

  public Optional<String> app(String pod) {
    return Optional.ofNullable(appByPod.get(pod));
  }

  public int size() {
    return appByPod.size();
  }
}
