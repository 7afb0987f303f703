package dev.cotenant.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Kafka, PostgreSQL and the Kubernetes API for tests: started once per JVM, in parallel, on the
 * first request, and stopped when the JVM exits. Every test class and Quarkus test profile of a
 * module's run shares them; tests keep apart by using their own topics, databases and namespaces.
 */
public final class TestStack {
  private static final Logger LOG = Logger.getLogger(TestStack.class.getName());
  private static TestStack instance;
  private static RuntimeException startFailure;

  private final KafkaBroker kafka;
  private final PostgresServer postgres;
  private final KubernetesApiServer kubernetes;
  private final long startMillis;

  private TestStack(
      KafkaBroker kafka,
      PostgresServer postgres,
      KubernetesApiServer kubernetes,
      long startMillis) {
    this.kafka = kafka;
    this.postgres = postgres;
    this.kubernetes = kubernetes;
    this.startMillis = startMillis;
  }

  public static synchronized TestStack get() {
    if (startFailure != null) {
      throw startFailure; // fail every later test fast instead of retrying a broken start
    }
    if (instance == null) {
      try {
        instance = start();
      } catch (RuntimeException e) {
        startFailure = e;
        throw e;
      }
      Runtime.getRuntime().addShutdownHook(new Thread(instance::stop, "test-stack-stop"));
    }
    return instance;
  }

  private static TestStack start() {
    long t0 = System.nanoTime();
    var kafka = CompletableFuture.supplyAsync(unchecked(KafkaBroker::startEphemeral));
    var postgres = CompletableFuture.supplyAsync(unchecked(PostgresServer::startEphemeral));
    var kubernetes = CompletableFuture.supplyAsync(KubernetesApiServer::startEphemeral);
    try {
      var stack = new TestStack(kafka.join(), postgres.join(), kubernetes.join(), millisSince(t0));
      LOG.info(
          () ->
              "test stack ready in "
                  + stack.startMillis
                  + " ms: kafka "
                  + stack.kafka.bootstrapServers()
                  + ", postgres :"
                  + stack.postgres.port()
                  + ", kubernetes "
                  + stack.kubernetes.url());
      return stack;
    } catch (CompletionException e) {
      // Stop whatever did start before reporting the one that did not.
      kafka.thenAccept(KafkaBroker::close);
      postgres.thenAccept(PostgresServer::close);
      kubernetes.thenAccept(KubernetesApiServer::close);
      throw new IllegalStateException("test stack failed to start", e.getCause());
    }
  }

  public KafkaBroker kafka() {
    return kafka;
  }

  public PostgresServer postgres() {
    return postgres;
  }

  public KubernetesApiServer kubernetes() {
    return kubernetes;
  }

  /** Wall time from first request to all three components ready. */
  public long startMillis() {
    return startMillis;
  }

  private void stop() {
    kubernetes.close();
    kafka.close();
    postgres.close();
  }

  private static long millisSince(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }

  private interface IoSupplier<T> {
    T get() throws IOException;
  }

  private static <T> Supplier<T> unchecked(IoSupplier<T> supplier) {
    return () -> {
      try {
        return supplier.get();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
  }
}
