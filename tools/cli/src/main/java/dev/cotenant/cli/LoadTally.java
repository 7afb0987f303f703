package dev.cotenant.cli;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.HdrHistogram.Histogram;

/**
 * What a load run saw, joined by job id: when each accepted POST was sent (and whether it falls in
 * the measured window), and each arrival of a job's message on the submissions topic. Lost = an
 * accepted job whose message never arrived; duplicated = a job whose message arrived more than
 * once. Thread-safe: the HTTP callbacks and the Kafka reader record concurrently.
 */
final class LoadTally {
  /** One accepted job: its POST's send time (nanoTime and wall clock) and whether it counts. */
  record Sent(long sendNanos, long sendEpochMillis, boolean measured) {}

  /** Arrivals of one job id: how many, and the first one's receive time and record timestamp. */
  record Arrival(int count, long receiveNanos, long recordTimestampMillis) {}

  private final Map<String, Sent> sent = new ConcurrentHashMap<>();
  private final Map<String, Arrival> arrived = new ConcurrentHashMap<>();

  void accepted(String jobId, Sent when) {
    sent.put(jobId, when);
  }

  void arrived(String jobId, long receiveNanos, long recordTimestampMillis) {
    arrived.merge(
        jobId,
        new Arrival(1, receiveNanos, recordTimestampMillis),
        (first, again) ->
            new Arrival(
                first.count() + again.count(),
                first.receiveNanos(),
                first.recordTimestampMillis()));
  }

  int acceptedCount() {
    return sent.size();
  }

  /** Accepted jobs whose message has not arrived (yet). */
  long missing() {
    return sent.keySet().stream().filter(id -> !arrived.containsKey(id)).count();
  }

  /** Accepted jobs whose message arrived more than once. */
  long duplicated() {
    return sent.keySet().stream()
        .filter(id -> arrived.getOrDefault(id, new Arrival(0, 0, 0)).count() > 1)
        .count();
  }

  /**
   * The outbox lag of the measured jobs, in microseconds: from the POST's send to the consumer
   * receiving the message ({@code byRecordTimestamp} false), or to the record's CreateTime, which
   * the relay's producer stamps at send (true; millisecond resolution, same host clock).
   */
  Histogram lag(boolean byRecordTimestamp) {
    Histogram lag = new Histogram(3_600_000_000L, 3);
    sent.forEach(
        (id, s) -> {
          Arrival a = arrived.get(id);
          if (a == null || !s.measured()) {
            return;
          }
          long micros =
              byRecordTimestamp
                  ? (a.recordTimestampMillis() - s.sendEpochMillis()) * 1000
                  : (a.receiveNanos() - s.sendNanos()) / 1000;
          lag.recordValue(Math.min(Math.max(0, micros), lag.getHighestTrackableValue()));
        });
    return lag;
  }
}
