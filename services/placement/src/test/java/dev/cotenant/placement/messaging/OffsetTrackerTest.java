package dev.cotenant.placement.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OffsetTrackerTest {
  private static final TopicPartition P0 = new TopicPartition("cotenant.job-submissions", 0);
  private static final TopicPartition P1 = new TopicPartition("cotenant.job-submissions", 1);

  private final OffsetTracker tracker = new OffsetTracker();

  private OffsetTracker.Handle track(TopicPartition p, long offset) {
    Optional<OffsetTracker.Handle> h = tracker.track(p, offset);
    assertThat(h).as("track %s@%d", p, offset).isPresent();
    return h.orElseThrow();
  }

  private static Map<TopicPartition, OffsetAndMetadata> at(TopicPartition p, long offset) {
    return Map.of(p, new OffsetAndMetadata(offset));
  }

  @Test
  void nothingToCommitBeforeAnythingIsDone() {
    track(P0, 0);
    track(P0, 1);

    assertThat(tracker.committable()).isEmpty();
    assertThat(tracker.inWork()).isEqualTo(2);
  }

  @Test
  void aCommitMovesPastTheContiguousRunOfDoneRecordsOnly() {
    OffsetTracker.Handle h10 = track(P0, 10);
    OffsetTracker.Handle h11 = track(P0, 11);
    OffsetTracker.Handle h12 = track(P0, 12);
    OffsetTracker.Handle h13 = track(P0, 13);

    h11.done();
    h13.done();
    assertThat(tracker.committable()).as("10 still in work holds all back").isEmpty();

    h10.done();
    assertThat(tracker.committable()).isEqualTo(at(P0, 12));
    assertThat(tracker.committable()).as("nothing new").isEmpty();
    assertThat(tracker.inWork()).isEqualTo(1);

    h12.done();
    assertThat(tracker.committable()).isEqualTo(at(P0, 14));
    assertThat(tracker.inWork()).isZero();
  }

  @Test
  void gapsInTheOffsetsDoNotHoldTheCommitBack() {
    // Compacted topics and transaction markers leave offsets that are never delivered.
    track(P0, 3).done();
    track(P0, 7).done();
    track(P0, 20).done();

    assertThat(tracker.committable()).isEqualTo(at(P0, 21));
  }

  @Test
  void partitionsCommitIndependently() {
    OffsetTracker.Handle a0 = track(P0, 0);
    track(P0, 1).done();
    OffsetTracker.Handle b5 = track(P1, 5);
    track(P1, 6);

    b5.done();
    assertThat(tracker.committable()).isEqualTo(at(P1, 6));

    a0.done();
    assertThat(tracker.committable()).isEqualTo(at(P0, 2));
    assertThat(tracker.inWork()).isEqualTo(1);
  }

  @Test
  void doneTwiceIsDoneOnce() {
    OffsetTracker.Handle h = track(P0, 0);
    h.done();
    h.done();

    assertThat(tracker.committable()).isEqualTo(at(P0, 1));
    h.done(); // after it was forgotten: no effect
    assertThat(tracker.committable()).isEmpty();
    assertThat(tracker.inWork()).isZero();
  }

  @Test
  void aRedeliveryOfARecordStillInWorkIsRefused() {
    OffsetTracker.Handle first = track(P0, 4);

    assertThat(tracker.track(P0, 4)).isEmpty();
    assertThat(tracker.inWork()).isEqualTo(1);
    // Also once it is done but not yet committed.
    first.done();
    assertThat(tracker.track(P0, 4)).isEmpty();
    // The same offset of another partition is another record.
    assertThat(tracker.track(P1, 4)).isPresent();
  }

  @ParameterizedTest(name = "committed {0}, offset {1} -> tracked {2}")
  @CsvSource({"10, 9, false", "10, 0, false", "10, 10, true", "10, 11, true"})
  void anOffsetBelowTheCommittedOneIsRefused(long committed, long offset, boolean tracked) {
    tracker.committed(at(P0, committed));

    assertThat(tracker.track(P0, offset).isPresent()).isEqualTo(tracked);
    assertThat(tracker.track(P1, offset)).as("other partition").isPresent();
  }

  @Test
  void theCommittedOffsetOnlyMovesForward() {
    tracker.committed(at(P0, 10));
    tracker.committed(at(P0, 5));

    assertThat(tracker.track(P0, 7)).isEmpty();
    assertThat(tracker.track(P0, 10)).isPresent();
  }

  @Test
  void aFullCycleRefusesTheOldRecordsAfterTheCommit() {
    track(P0, 0).done();
    track(P0, 1).done();
    Map<TopicPartition, OffsetAndMetadata> commit = tracker.committable();
    assertThat(commit).isEqualTo(at(P0, 2));
    tracker.committed(commit);

    assertThat(tracker.track(P0, 1)).isEmpty();
    assertThat(tracker.track(P0, 2)).isPresent();
  }

  @Test
  void forgettingAPartitionDropsItsRecordsAndCommit() {
    track(P0, 0);
    track(P1, 0);
    tracker.committed(at(P0, 0));
    tracker.committed(Map.of(P1, new OffsetAndMetadata(50)));

    tracker.forget(List.of(P1));

    assertThat(tracker.inWork()).isEqualTo(1);
    assertThat(tracker.track(P1, 0)).as("P1 is new again").isPresent();
    assertThat(tracker.track(P0, 0)).as("P0 still tracked").isEmpty();
  }

  @Test
  void forgetAllStartsOver() {
    OffsetTracker.Handle old = track(P0, 3);
    track(P1, 8);
    tracker.committed(at(P0, 3));
    tracker.committed(at(P1, 8));

    tracker.forgetAll();

    assertThat(tracker.inWork()).isZero();
    assertThat(tracker.committable()).isEmpty();
    old.done(); // the old delivery's work ends after the consumer is gone: nothing to commit
    assertThat(tracker.committable()).isEmpty();
    assertThat(tracker.track(P0, 0)).isPresent();
    assertThat(tracker.track(P1, 2)).isPresent();
    assertThat(tracker.inWork()).isEqualTo(2);
  }

  @Test
  void inWorkCountsRecordsNotYetDoneOverAllPartitions() {
    assertThat(tracker.inWork()).isZero();
    OffsetTracker.Handle a = track(P0, 0);
    track(P0, 1);
    OffsetTracker.Handle c = track(P1, 0);
    assertThat(tracker.inWork()).isEqualTo(3);

    c.done();
    assertThat(tracker.inWork()).isEqualTo(2);
    a.done();
    assertThat(tracker.inWork()).isEqualTo(1);
    tracker.committable();
    assertThat(tracker.inWork()).isEqualTo(1);
  }

  @Test
  void noneIsAHandleThatDoesNothing() {
    OffsetTracker.NONE.done();

    assertThat(tracker.inWork()).isZero();
    assertThat(tracker.committable()).isEmpty();
  }

  @Test
  void concurrentDonesAreAllCounted() throws Exception {
    int n = 2000;
    List<OffsetTracker.Handle> handles = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      handles.add(track(P0, i));
    }
    Thread[] threads = new Thread[4];
    for (int t = 0; t < threads.length; t++) {
      int from = t;
      threads[t] =
          new Thread(
              () -> {
                for (int i = from; i < n; i += threads.length) {
                  handles.get(i).done();
                }
              });
      threads[t].start();
    }
    for (Thread t : threads) {
      t.join();
    }

    assertThat(tracker.inWork()).isZero();
    assertThat(tracker.committable()).isEqualTo(at(P0, n));
  }
}
