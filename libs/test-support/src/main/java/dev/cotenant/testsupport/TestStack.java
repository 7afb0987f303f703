package dev.cotenant.testsupport;

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

  private final EmbeddedStack parts;
  private final long startMillis;

  private TestStack(EmbeddedStack parts, long startMillis) {
    this.parts = parts;
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
      Runtime.getRuntime().addShutdownHook(new Thread(instance.parts::close, "test-stack-stop"));
    }
    return instance;
  }

  private static TestStack start() {
    long t0 = System.nanoTime();
    EmbeddedStack parts =
        EmbeddedStack.start(
            KafkaBroker::startEphemeral,
            PostgresServer::startEphemeral,
            KubernetesApiServer::startEphemeral);
    var stack = new TestStack(parts, (System.nanoTime() - t0) / 1_000_000);
    LOG.info(
        () ->
            "test stack ready in "
                + stack.startMillis
                + " ms: kafka "
                + parts.kafka().bootstrapServers()
                + ", postgres :"
                + parts.postgres().port()
                + ", kubernetes "
                + parts.kubernetes().url());
    return stack;
  }

  public KafkaBroker kafka() {
    return parts.kafka();
  }

  public PostgresServer postgres() {
    return parts.postgres();
  }

  public KubernetesApiServer kubernetes() {
    return parts.kubernetes();
  }

  /** Wall time from first request to all three components ready. */
  public long startMillis() {
    return startMillis;
  }
}
