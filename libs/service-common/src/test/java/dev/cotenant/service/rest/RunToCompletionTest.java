package dev.cotenant.service.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The work of a request against a client that leaves: what Quarkus REST's cancel does to it. */
class RunToCompletionTest {

  @Test
  void cancellingTheRequestLeavesTheWorkRunningToItsEnd() throws Exception {
    CompletableFuture<String> commit = new CompletableFuture<>();
    AtomicBoolean workCancelled = new AtomicBoolean();
    AtomicInteger subscriptions = new AtomicInteger();
    AtomicReference<String> finished = new AtomicReference<>();
    Uni<String> work =
        Uni.createFrom()
            .completionStage(() -> commit)
            .onSubscription()
            .invoke(subscriptions::incrementAndGet)
            .onCancellation()
            .invoke(() -> workCancelled.set(true))
            .onItem()
            .invoke(finished::set);

    Uni<String> request = RunToCompletion.of(work);
    // subscribed at once, before anyone waits for it
    assertThat(subscriptions.get()).isOne();
    CompletableFuture<String> seen = new CompletableFuture<>();
    Cancellable client = request.subscribe().with(seen::complete, seen::completeExceptionally);
    client.cancel(); // the connection closed

    commit.complete("committed");
    assertThat(workCancelled).isFalse();
    assertThat(finished).hasValue("committed");
    assertThat(subscriptions.get()).as("the work ran once, not again per waiter").isOne();
    // the cancelled waiter hears nothing
    assertThat(seen).isNotDone();
  }

  @Test
  void aWaiterGetsTheResultOrTheFailureOfTheWork() {
    assertThat(RunToCompletion.of(Uni.createFrom().item(7)).await().atMost(Duration.ofSeconds(1)))
        .isEqualTo(7);
    Uni<Integer> failing =
        RunToCompletion.of(Uni.createFrom().failure(new IllegalStateException("rolled back")));
    assertThatThrownBy(() -> failing.await().atMost(Duration.ofSeconds(1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("rolled back");
  }

  @Test
  void oneCancelledWaiterDoesNotCompleteAnother() throws Exception {
    CompletableFuture<String> commit = new CompletableFuture<>();
    Uni<String> request = RunToCompletion.of(Uni.createFrom().completionStage(() -> commit));
    request.subscribe().with(x -> {}).cancel();
    CompletableFuture<String> second = request.subscribeAsCompletionStage().toCompletableFuture();
    commit.complete("done");
    assertThat(second.get(1, TimeUnit.SECONDS)).isEqualTo("done");
  }
}
