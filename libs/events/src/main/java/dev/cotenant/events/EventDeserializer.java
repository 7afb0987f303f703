package dev.cotenant.events;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka value deserializer for every event: picks the record type from the {@code ce_type} header.
 * Throws {@link EventJson.EventFormatException} for records that are not Cotenant events.
 */
public class EventDeserializer implements Deserializer<CotenantEvent> {

  @Override
  public CotenantEvent deserialize(String topic, byte[] data) {
    throw new EventJson.EventFormatException(
        "a Cotenant event needs its ce_type header; record on " + topic + " has no headers", null);
  }

  @Override
  public CotenantEvent deserialize(String topic, Headers headers, byte[] data) {
    if (data == null) {
      return null; // a tombstone on a compacted topic
    }
    String ceType =
        CloudEventHeaders.read(headers, CloudEventHeaders.TYPE)
            .orElseThrow(
                () ->
                    new EventJson.EventFormatException(
                        "record on " + topic + " has no ce_type header", null));
    return EventJson.fromBytes(data, ceType);
  }
}
