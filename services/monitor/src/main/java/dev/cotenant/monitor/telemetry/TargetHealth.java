package dev.cotenant.monitor.telemetry;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Whether each scrape target is fresh, and which GPU values are new. A target is STALE once its
 * last good scrape is older than {@code staleAfter} (an exporter that died, hangs or answers
 * errors); nothing is published for it until it answers again, so no sample ever carries a time it
 * was not read at. A sample is published only when it is newer than the last one of its card, and,
 * where the exporter gives its own timestamps, when those are no older than {@code staleAfter}: an
 * exporter re-serving old values is not fresh data. Thread-safe.
 */
public final class TargetHealth {
  public enum State {
    /** Not scraped successfully yet. */
    PENDING,
    UP,
    STALE
  }

  /** One target as the REST view and metrics show it. */
  public record Status(
      String url,
      String node,
      State state,
      Optional<Instant> lastSuccess,
      Optional<Instant> lastAttempt,
      String lastError,
      long scrapes,
      long failures) {}

  private static final class Target {
    String node = "";
    Instant lastSuccess;
    Instant lastAttempt;
    String lastError = "";
    long scrapes;
    long failures;
  }

  private final Duration staleAfter;
  private final Map<String, Target> targets = new HashMap<>();
  private final Map<String, Instant> lastPublished = new HashMap<>();

  public TargetHealth(Duration staleAfter) {
    this.staleAfter = staleAfter;
  }

  public synchronized void attempted(String url, String node, Instant at) {
    Target t = targets.computeIfAbsent(url, u -> new Target());
    t.node = node;
    t.lastAttempt = at;
  }

  public synchronized void succeeded(String url, Instant at) {
    Target t = targets.computeIfAbsent(url, u -> new Target());
    t.lastSuccess = at;
    t.lastError = "";
    t.scrapes++;
  }

  public synchronized void failed(String url, String error) {
    Target t = targets.computeIfAbsent(url, u -> new Target());
    t.lastError = error;
    t.failures++;
  }

  /** Forgets targets no longer configured or discovered. */
  public synchronized void retain(java.util.Set<String> urls) {
    targets.keySet().retainAll(urls);
  }

  public synchronized State state(String url, Instant now) {
    Target t = targets.get(url);
    if (t == null || t.lastSuccess == null) {
      return State.PENDING;
    }
    return t.lastSuccess.plus(staleAfter).isBefore(now) ? State.STALE : State.UP;
  }

  /**
   * Whether a value of card {@code gpuKey} read at {@code time} is fresh at {@code now}; if so it
   * becomes the card's latest.
   */
  public synchronized boolean fresh(String gpuKey, Instant time, Instant now) {
    if (time.plus(staleAfter).isBefore(now) || time.isAfter(now.plus(staleAfter))) {
      return false;
    }
    Instant last = lastPublished.get(gpuKey);
    if (last != null && !time.isAfter(last)) {
      return false;
    }
    lastPublished.put(gpuKey, time);
    return true;
  }

  public synchronized java.util.List<Status> statuses(Instant now) {
    java.util.List<Status> out = new java.util.ArrayList<>();
    targets.forEach(
        (url, t) ->
            out.add(
                new Status(
                    url,
                    t.node,
                    state(url, now),
                    Optional.ofNullable(t.lastSuccess),
                    Optional.ofNullable(t.lastAttempt),
                    t.lastError,
                    t.scrapes,
                    t.failures)));
    out.sort(java.util.Comparator.comparing(Status::url));
    return out;
  }
}
