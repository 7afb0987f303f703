package dev.cotenant.service.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.Test;

/** Not a @QuarkusTest: the loop is plain Java around a consumer, here Kafka's MockConsumer. */
class ConsumerLoopTest {
  private final List<MockConsumer<String, String>> made = new CopyOnWriteArrayList<>();
  private final AtomicBoolean ready = new AtomicBoolean();
  private final AtomicInteger polls = new AtomicInteger();
  private final AtomicInteger failures = new AtomicInteger();

  private final ConsumerLoop<String, String> loop =
      new ConsumerLoop<>("t", "t-consumer", Duration.ofMillis(10)) {
        @Override
        protected boolean ready() {
          return ready.get();
        }

        @Override
        protected Consumer<String, String> create() {
          MockConsumer<String, String> consumer = new MockConsumer<>("earliest");
          if (made.isEmpty()) {
            consumer.setPollException(new KafkaException("broker gone"));
          }
          made.add(consumer);
          return consumer;
        }

        @Override
        protected void handle(
            Consumer<String, String> consumer, ConsumerRecords<String, String> records) {
          polls.incrementAndGet();
        }

        @Override
        protected void failed() {
          failures.incrementAndGet();
        }
      };

  @Test
  void waitsUntilReadyThenReplacesAFailedConsumerAndClosesTheLastOnStop() throws Exception {
    loop.start();
    Thread.sleep(3 * ConsumerLoop.POLL.toMillis());
    assertThat(made).as("no consumer before ready").isEmpty();

    ready.set(true);
    await(() -> polls.get() > 0);
    assertThat(made).hasSize(2);
    assertThat(made.get(0).closed()).isTrue();
    assertThat(failures).hasValue(1);
    assertThat(made.get(1).subscription()).containsExactly("t");
    assertThat(made.get(1).closed()).isFalse();

    loop.stop();
    assertThat(made.get(1).closed()).isTrue();
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("timed out").isLessThan(deadline);
      Thread.sleep(10);
    }
  }
}
