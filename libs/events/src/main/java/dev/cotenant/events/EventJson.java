package dev.cotenant.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The one JSON serde of event data. The event type is not in the JSON: it travels as the
 * CloudEvents {@code type} (the {@code ce_type} Kafka header), as binary-mode CloudEvents do.
 */
public final class EventJson {
  /**
   * Unknown fields are ignored so that a consumer keeps working when a producer of a newer version
   * adds one; times are ISO-8601 strings.
   */
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .addModule(new Jdk8Module())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
          .build();

  private EventJson() {}

  /** A copy of the configured mapper, for code that must map more than events the same way. */
  public static ObjectMapper mapper() {
    return MAPPER.copy();
  }

  public static byte[] toBytes(CotenantEvent event) {
    try {
      return MAPPER.writeValueAsBytes(event);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot serialise " + event.type(), e);
    }
  }

  public static <T extends CotenantEvent> T fromBytes(byte[] json, Class<T> type) {
    try {
      return MAPPER.readValue(json, type);
    } catch (IOException e) {
      throw new EventFormatException("malformed " + type.getSimpleName() + " data", e);
    }
  }

  public static CotenantEvent fromBytes(byte[] json, String ceType) {
    EventType type =
        EventType.fromCeType(ceType)
            .orElseThrow(() -> new EventFormatException("unknown event type: " + ceType, null));
    return fromBytes(json, type.recordClass());
  }

  /** Data that is not a valid event: consumers route it to their dead-letter topic. */
  public static final class EventFormatException extends UncheckedIOException {
    EventFormatException(String message, IOException cause) {
      super(message, cause == null ? new IOException(message) : cause);
    }
  }
}
