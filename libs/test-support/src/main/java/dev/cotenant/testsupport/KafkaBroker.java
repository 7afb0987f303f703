package dev.cotenant.testsupport;

import dev.cotenant.events.Topics;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.commons.io.FileUtils;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node Kafka broker in KRaft mode (combined broker and controller), run in this JVM
 * from the {@code kafka_2.13} jars. The same class serves the tests and the local stack.
 */
public final class KafkaBroker implements AutoCloseable {
  private static final int NODE_ID = 1;

  /**
   * The broker logs at WARN wherever it runs (java.util.logging is what Quarkus' log manager and
   * the JDK route to). Held strongly: JUL forgets the level of a logger nobody references.
   */
  private static final List<Logger> QUIET_LOGGERS =
      Stream.of("kafka", "org.apache.kafka", "state.change.logger")
          .map(
              name -> {
                Logger logger = Logger.getLogger(name);
                logger.setLevel(Level.WARNING);
                return logger;
              })
          .toList();

  private static final String CONTROLLER_LISTENER = "CONTROLLER";

  private final KafkaRaftServer server;
  private final String bootstrapServers;
  private final Path logDir;
  private final boolean deleteOnClose;

  private KafkaBroker(
      KafkaRaftServer server, String bootstrap, Path logDir, boolean deleteOnClose) {
    this.server = server;
    this.bootstrapServers = bootstrap;
    this.logDir = logDir;
    this.deleteOnClose = deleteOnClose;
  }

  /** A throw-away broker on free ports with its data in a temporary directory. */
  public static KafkaBroker startEphemeral() throws IOException {
    return start(Files.createTempDirectory("cotenant-kafka"), Ports.free(), Ports.free(), true);
  }

  /**
   * Starts a broker whose data lives in {@code logDir}; an already formatted directory is reused,
   * so a restarted local stack keeps its topics and offsets.
   */
  public static KafkaBroker start(Path logDir, int port, int controllerPort, boolean deleteOnClose)
      throws IOException {
    Files.createDirectories(logDir);
    Properties props = new Properties();
    props.put("process.roles", "broker,controller");
    props.put("node.id", String.valueOf(NODE_ID));
    props.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
    props.put(
        "listeners",
        "PLAINTEXT://127.0.0.1:"
            + port
            + ","
            + CONTROLLER_LISTENER
            + "://127.0.0.1:"
            + controllerPort);
    props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    props.put("controller.listener.names", CONTROLLER_LISTENER);
    props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    props.put("inter.broker.listener.name", "PLAINTEXT");
    props.put("log.dirs", logDir.toString());
    // One node: every internal topic has one replica, and few partitions keep start-up fast.
    props.put("offsets.topic.replication.factor", "1");
    props.put("offsets.topic.num.partitions", "5");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("transaction.state.log.num.partitions", "5");
    props.put("share.coordinator.state.topic.replication.factor", "1");
    props.put("share.coordinator.state.topic.min.isr", "1");
    props.put("group.initial.rebalance.delay.ms", "0");
    props.put("num.partitions", "3");
    props.put("auto.create.topics.enable", "true");
    props.put("log.flush.interval.messages", String.valueOf(Long.MAX_VALUE));
    KafkaConfig config = KafkaConfig.fromProps(props, false);

    format(logDir);
    KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
    server.startup();
    KafkaBroker broker = new KafkaBroker(server, "127.0.0.1:" + port, logDir, deleteOnClose);
    broker.awaitReady(Duration.ofSeconds(30));
    return broker;
  }

  private static void format(Path logDir) throws IOException {
    if (Files.exists(logDir.resolve("meta.properties"))) {
      return; // formatted by an earlier start: keep its cluster id, topics and offsets
    }
    try (PrintStream quiet = new PrintStream(OutputStream.nullOutputStream())) {
      new Formatter()
          .setPrintStream(quiet)
          .setNodeId(NODE_ID)
          .setClusterId(Uuid.randomUuid().toString())
          .setDirectories(List.of(logDir.toString()))
          .setMetadataLogDirectory(logDir.toString())
          .setControllerListenerName(CONTROLLER_LISTENER)
          .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
          .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
          .run();
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException("cannot format Kafka log directory " + logDir, e);
    }
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public Admin admin() {
    return Admin.create(
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
            5_000,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
            10_000));
  }

  /** Creates Cotenant's topics (the profiles topic compacted); existing ones are left alone. */
  public void createCotenantTopics(int partitions) {
    createTopics(
        Topics.ALL.stream()
            .map(
                name -> {
                  NewTopic topic = new NewTopic(name, partitions, (short) 1);
                  return Topics.isCompacted(name)
                      ? topic.configs(
                          Map.of(
                              TopicConfig.CLEANUP_POLICY_CONFIG,
                              TopicConfig.CLEANUP_POLICY_COMPACT))
                      : topic;
                })
            .toList());
  }

  public void createTopics(Collection<NewTopic> topics) {
    try (Admin admin = admin()) {
      for (var entry : admin.createTopics(topics).values().entrySet()) {
        try {
          entry.getValue().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException("cannot create topic " + entry.getKey(), e.getCause());
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("broker did not create topics in 30 s", e);
    }
  }

  public Set<String> topicNames() {
    try (Admin admin = admin()) {
      return admin.listTopics().names().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot list topics on " + bootstrapServers, e);
    }
  }

  private void awaitReady(Duration timeout) {
    try (Admin admin = admin()) {
      admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      close();
      throw new IllegalStateException(
          "Kafka broker did not become ready at " + bootstrapServers, e);
    }
  }

  @Override
  public void close() {
    server.shutdown();
    server.awaitShutdown();
    if (deleteOnClose) {
      FileUtils.deleteQuietly(logDir.toFile());
    }
  }
}
