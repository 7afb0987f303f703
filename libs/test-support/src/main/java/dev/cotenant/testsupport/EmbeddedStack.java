package dev.cotenant.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Kafka, PostgreSQL and the Kubernetes API started together, in parallel. If one part fails, the
 * parts that did start are stopped before the failure is reported, so nothing is left running. The
 * tests ({@link TestStack}) and the local stack both start their parts through here.
 */
public record EmbeddedStack(
    KafkaBroker kafka, PostgresServer postgres, KubernetesApiServer kubernetes)
    implements AutoCloseable {

  /** Starts one part; may fail with an {@link IOException}. */
  public interface Starter<T> {
    T start() throws IOException;
  }

  public static EmbeddedStack start(
      Starter<KafkaBroker> kafka,
      Starter<PostgresServer> postgres,
      Starter<KubernetesApiServer> kubernetes) {
    var kafkaStart = CompletableFuture.supplyAsync(unchecked(kafka));
    var postgresStart = CompletableFuture.supplyAsync(unchecked(postgres));
    var kubernetesStart = CompletableFuture.supplyAsync(unchecked(kubernetes));
    try {
      return new EmbeddedStack(kafkaStart.join(), postgresStart.join(), kubernetesStart.join());
    } catch (CompletionException e) {
      kafkaStart.thenAccept(KafkaBroker::close);
      postgresStart.thenAccept(PostgresServer::close);
      kubernetesStart.thenAccept(KubernetesApiServer::close);
      throw new IllegalStateException("failed to start: " + rootMessage(e), e.getCause());
    }
  }

  /** Stops the clients' peers first: the Kubernetes API, then Kafka, then PostgreSQL. */
  @Override
  public void close() {
    kubernetes.close();
    kafka.close();
    postgres.close();
  }

  private static String rootMessage(Throwable error) {
    Throwable cause = error;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause.getMessage();
  }

  private static <T> Supplier<T> unchecked(Starter<T> starter) {
    return () -> {
      try {
        return starter.start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
  }
}
