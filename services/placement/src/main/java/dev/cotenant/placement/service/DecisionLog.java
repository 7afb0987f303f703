package dev.cotenant.placement.service;

import dev.cotenant.placement.model.Decision;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The latest decision per job, for {@code GET /api/v1/decisions/{job}}: bounded, the oldest dropped
 * first. Written by the scheduler thread, read by the REST threads.
 */
public final class DecisionLog {
  private final Map<String, Entry> entries;

  /** One explained decision and whose job it was. */
  public record Entry(String tenant, Instant at, Decision decision) {}

  public DecisionLog(int capacity) {
    this.entries =
        new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, false) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > capacity;
          }
        };
  }

  public synchronized void record(String tenant, Decision decision) {
    entries.remove(decision.jobId());
    entries.put(decision.jobId(), new Entry(tenant, Instant.now(), decision));
  }

  public synchronized Optional<Entry> get(String jobId) {
    return Optional.ofNullable(entries.get(jobId));
  }
}
