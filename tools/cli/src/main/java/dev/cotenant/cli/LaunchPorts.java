package dev.cotenant.cli;

import dev.cotenant.localstack.StackPorts;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Every loopback port of a local run. Each comes from {@code COTENANT_<NAME>_PORT} or its default;
 * {@code up} saves the ports it used so {@code status}, {@code env} and {@code down} find the same
 * ones later whatever the environment says then.
 */
public record LaunchPorts(Map<String, Integer> byName) {
  public static final Map<String, Integer> DEFAULTS = defaults();

  public LaunchPorts {
    byName = Map.copyOf(byName);
  }

  private static Map<String, Integer> defaults() {
    Map<String, Integer> ports = new LinkedHashMap<>();
    StackPorts stack = StackPorts.DEFAULTS;
    ports.put("kafka", stack.kafka());
    ports.put("kafka-controller", stack.kafkaController());
    ports.put("postgres", stack.postgres());
    ports.put("kube", stack.kubernetes());
    ports.put("stack", stack.status());
    ports.put("job-api", 18080);
    ports.put("placement", 18081);
    ports.put("monitor", 18082);
    ports.put("profiler", 18083);
    ports.put("zipkin", 19411);
    // The simulated nodes' DCGM exporters: every node on its own loopback address, all on this
    // port (a second stack on the machine, e.g. a test's, needs another).
    ports.put("dcgm", 19400);
    return Map.copyOf(ports);
  }

  /** The environment variable that overrides one port, e.g. {@code COTENANT_JOB_API_PORT}. */
  public static String variable(String name) {
    return "COTENANT_" + name.toUpperCase().replace('-', '_') + "_PORT";
  }

  public static LaunchPorts fromEnvironment(Map<String, String> env) {
    Map<String, Integer> ports = new LinkedHashMap<>();
    for (var entry : DEFAULTS.entrySet()) {
      String value = env.get(variable(entry.getKey()));
      if (value == null || value.isBlank()) {
        ports.put(entry.getKey(), entry.getValue());
        continue;
      }
      try {
        int port = Integer.parseInt(value.trim());
        if (port < 1 || port > 65535) {
          throw new NumberFormatException();
        }
        ports.put(entry.getKey(), port);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            variable(entry.getKey()) + " must be a port number 1-65535, got '" + value + "'");
      }
    }
    return new LaunchPorts(ports);
  }

  public int get(String name) {
    Integer port = byName.get(name);
    if (port == null) {
      throw new IllegalArgumentException("no port named " + name);
    }
    return port;
  }

  public void save(Path file) throws IOException {
    Properties properties = new Properties();
    byName.forEach((name, port) -> properties.setProperty(name, String.valueOf(port)));
    Files.createDirectories(file.getParent());
    try (Writer writer = Files.newBufferedWriter(file)) {
      properties.store(writer, "ports of the running local stack");
    }
  }

  /** The saved ports if a run saved them, else the environment's. */
  public static LaunchPorts load(Path file, Map<String, String> env) throws IOException {
    if (!Files.exists(file)) {
      return fromEnvironment(env);
    }
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file)) {
      properties.load(reader);
    }
    Map<String, Integer> ports = new LinkedHashMap<>(DEFAULTS);
    properties
        .stringPropertyNames()
        .forEach(name -> ports.put(name, Integer.parseInt(properties.getProperty(name))));
    return new LaunchPorts(ports);
  }
}
