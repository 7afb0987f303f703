package dev.cotenant.placement.messaging;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which records of a consumer are done, so that offsets move only past records whose work is
 * finished (for a submission: its pods exist, or it ended without any). A record still in work
 * holds back its partition's commit; everything after it is read again after a restart, and
 * recognised there by its job id.
 *
 * <p>Thread-safe: the consumer tracks and commits, the scheduler marks records done.
 */
public final class OffsetTracker {
  private final Map<TopicPartition, TreeMap<Long, Boolean>> inFlight = new HashMap<>();
  private final Map<TopicPartition, Long> committed = new HashMap<>();

  /** A record being worked on; {@link #done} may be called more than once. */
  public interface Handle {
    void done();
  }

  /** Handle of a record that needs no tracking (tests, replays). */
  public static final Handle NONE = () -> {};

  /**
   * Starts tracking a record; empty if it is already tracked (a redelivery while the first delivery
   * is still in work: the caller skips it).
   */
  public synchronized java.util.Optional<Handle> track(TopicPartition partition, long offset) {
    TreeMap<Long, Boolean> records = inFlight.computeIfAbsent(partition, p -> new TreeMap<>());
    Long last = committed.get(partition);
    if (records.containsKey(offset) || (last != null && offset < last)) {
      return java.util.Optional.empty();
    }
    records.put(offset, false);
    return java.util.Optional.of(() -> markDone(partition, offset));
  }

  private synchronized void markDone(TopicPartition partition, long offset) {
    TreeMap<Long, Boolean> records = inFlight.get(partition);
    if (records != null && records.containsKey(offset)) {
      records.put(offset, true);
    }
  }

  /**
   * The offsets to commit now: per partition, past the longest run of done records from the oldest
   * one. Those records are forgotten.
   */
  public synchronized Map<TopicPartition, OffsetAndMetadata> committable() {
    Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
    inFlight.forEach(
        (partition, records) -> {
          Long next = null;
          while (!records.isEmpty() && records.firstEntry().getValue()) {
            next = records.pollFirstEntry().getKey() + 1;
          }
          if (next != null) {
            out.put(partition, new OffsetAndMetadata(next));
          }
        });
    return out;
  }

  /** Records the commit, so a redelivery of an older record is recognised. */
  public synchronized void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
    offsets.forEach((p, o) -> committed.merge(p, o.offset(), Math::max));
  }

  /** Forgets partitions this consumer no longer reads (after a failure or a rebalance). */
  public synchronized void forget(Collection<TopicPartition> partitions) {
    partitions.forEach(
        p -> {
          inFlight.remove(p);
          committed.remove(p);
        });
  }

  /** Forgets everything: the consumer is gone, its successor reads from the committed offsets. */
  public synchronized void forgetAll() {
    inFlight.clear();
    committed.clear();
  }

  /** Records not yet done, over all partitions. */
  public synchronized int inWork() {
    int n = 0;
    for (TreeMap<Long, Boolean> records : inFlight.values()) {
      for (boolean done : records.values()) {
        n += done ? 0 : 1;
      }
    }
    return n;
  }
}
