package dev.cotenant.jobapi.support;

import dev.cotenant.testsupport.KafkaBroker;
import dev.cotenant.testsupport.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.io.FileUtils;

/**
 * Like {@link JobApiTestResource}, but with a Kafka broker of its own that a test may stop and
 * start again (same ports, same data), leaving the shared broker of the other tests alone.
 */
public class DedicatedBrokerResource extends JobApiTestResource {
  private static Path dataDir;
  private static int port;
  private static int controllerPort;
  private static KafkaBroker broker;

  @Override
  public Map<String, String> start() {
    Map<String, String> config = new HashMap<>(super.start());
    try {
      dataDir = Files.createTempDirectory("cotenant-kafka-outage");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    port = Ports.free();
    controllerPort = Ports.free();
    startBroker();
    broker.createCotenantTopics(3);
    config.put("kafka.bootstrap.servers", bootstrapServers());
    return config;
  }

  @Override
  public void stop() {
    stopBroker();
    FileUtils.deleteQuietly(dataDir.toFile());
  }

  public static String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  public static synchronized void startBroker() {
    try {
      broker = KafkaBroker.start(dataDir, port, controllerPort, false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static synchronized void stopBroker() {
    if (broker != null) {
      broker.close();
      broker = null;
    }
  }
}
