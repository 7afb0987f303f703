package dev.cotenant.service.messaging;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** The service's {@code kafka.*} settings (servers, security) that one kind of client knows. */
public final class KafkaSettings {
  private KafkaSettings() {}

  /**
   * @param kafka the service's Kafka configuration, e.g. the {@code default-kafka-broker} map
   * @param known the client's config names, e.g. {@code ConsumerConfig.configNames()}
   * @return a mutable copy with only those keys, for the caller to add its own settings to
   */
  public static Map<String, Object> forClient(Map<String, Object> kafka, Set<String> known) {
    Map<String, Object> props = new HashMap<>();
    kafka.forEach(
        (key, value) -> {
          if (known.contains(key)) {
            props.put(key, value);
          }
        });
    return props;
  }
}
