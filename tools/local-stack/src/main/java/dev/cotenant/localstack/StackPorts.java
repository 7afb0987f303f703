package dev.cotenant.localstack;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The loopback ports of the local stack. Defaults sit away from the usual ones (9092, 5432, 6443,
 * 8080) so a developer's own Kafka, PostgreSQL or cluster keeps working beside Cotenant.
 */
public record StackPorts(int kafka, int kafkaController, int postgres, int kubernetes, int status) {
  public static final StackPorts DEFAULTS = new StackPorts(19092, 19093, 15432, 16443, 19000);

  /** Each port by the component that listens on it, for checks and messages. */
  public Map<String, Integer> byComponent() {
    Map<String, Integer> ports = new LinkedHashMap<>();
    ports.put("kafka", kafka);
    ports.put("kafka-controller", kafkaController);
    ports.put("postgres", postgres);
    ports.put("kubernetes", kubernetes);
    ports.put("local-stack-status", status);
    return ports;
  }
}
