package dev.cotenant.jobapi.service;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tells waiting SSE streams that the read model stored new events. It holds the highest stored seq
 * (a state, not a signal, so a stream that starts waiting late still sees it) and wakes waiters
 * when it rises.
 */
@ApplicationScoped
public class EventFeed {
  private final AtomicLong latest = new AtomicLong();
  private final Set<UniEmitter<? super Long>> waiters = ConcurrentHashMap.newKeySet();

  /** The consumer committed events up to {@code seq}. */
  public void stored(long seq) {
    if (seq <= latest.getAndAccumulate(seq, Math::max)) {
      return;
    }
    for (UniEmitter<? super Long> waiter : waiters) {
      if (waiters.remove(waiter)) {
        waiter.complete(seq);
      }
    }
  }

  /**
   * Completes once an event after {@code seq} is stored here, or after {@code atMost} (events that
   * other instances stored are found by looking).
   */
  public Uni<Void> after(long seq, Duration atMost) {
    if (latest.get() > seq) {
      return Uni.createFrom().voidItem();
    }
    Uni<Long> wait =
        Uni.createFrom()
            .emitter(
                emitter -> {
                  waiters.add(emitter);
                  emitter.onTermination(() -> waiters.remove(emitter));
                  // Registered first, checked second: a store in between is not missed.
                  if (latest.get() > seq && waiters.remove(emitter)) {
                    emitter.complete(latest.get());
                  }
                });
    return wait.ifNoItem().after(atMost).recoverWithItem(0L).replaceWithVoid();
  }
}
