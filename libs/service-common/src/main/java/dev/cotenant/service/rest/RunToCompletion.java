package dev.cotenant.service.rest;

import io.smallrye.mutiny.Uni;
import java.util.concurrent.CompletableFuture;

/**
 * Work a request starts that must finish even if the client goes away. Quarkus REST cancels a
 * request's {@link Uni} when its connection closes; cancelling a transaction half way closes its
 * session with the transaction still open (Hibernate Reactive's HR000090, then an NPE on commit).
 * Here the work is subscribed on its own, so it commits or rolls back as a whole; a cancelled
 * request only stops waiting for it.
 */
public final class RunToCompletion {
  private RunToCompletion() {}

  /** Subscribes to {@code work} now; the result follows it, and cancelling it leaves it running. */
  public static <T> Uni<T> of(Uni<T> work) {
    CompletableFuture<T> done = new CompletableFuture<>();
    work.subscribe().with(done::complete, done::completeExceptionally);
    // A copy: cancelling what the caller holds must not complete the original.
    return Uni.createFrom().completionStage(done::copy);
  }
}
