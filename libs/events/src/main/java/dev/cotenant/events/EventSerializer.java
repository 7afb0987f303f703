package dev.cotenant.events;

import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka value serializer for every event: JSON data plus the binary-mode CloudEvents headers.
 * Configure {@value #SOURCE_CONFIG} with the producing service's URI reference.
 */
public class EventSerializer implements Serializer<CotenantEvent> {
  public static final String SOURCE_CONFIG = "cotenant.events.source";

  private String source = "/cotenant";

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    Object configured = configs.get(SOURCE_CONFIG);
    if (configured != null) {
      source = configured.toString();
    }
  }

  @Override
  public byte[] serialize(String topic, CotenantEvent event) {
    return event == null ? null : EventJson.toBytes(event);
  }

  @Override
  public byte[] serialize(String topic, Headers headers, CotenantEvent event) {
    if (event == null) {
      return null;
    }
    CloudEventHeaders.write(event, source, headers);
    return EventJson.toBytes(event);
  }
}
