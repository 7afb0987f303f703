package dev.cotenant.jobapi.messaging;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** The service's {@code kafka.*} settings (servers, security) that one kind of client knows. */
final class KafkaSettings {
  private KafkaSettings() {}

  static Map<String, Object> forClient(Map<String, Object> kafka, Set<String> known) {
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
