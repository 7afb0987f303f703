package dev.cotenant.jobapi.rest;

import dev.cotenant.jobapi.repository.StoredEvent;
import dev.cotenant.jobapi.service.InvalidJobException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

/** How a stored job event goes out on an SSE stream, and where a resumed stream starts. */
final class SseEvents {
  static final String LAST_EVENT_ID = "Last-Event-ID";

  private SseEvents() {}

  /** {@code id}: the seq to resume after; {@code event}: the CloudEvents type; data: its JSON. */
  static OutboundSseEvent of(Sse sse, StoredEvent event) {
    return sse.newEventBuilder()
        .id(Long.toString(event.seq()))
        .name(event.type())
        // Already JSON text: written as is, not encoded again as a JSON string.
        .mediaType(MediaType.TEXT_PLAIN_TYPE)
        .data(String.class, event.payload())
        .build();
  }

  /** The seq after which to start: the {@code Last-Event-ID} a reconnecting client sends, or 0. */
  static long resumeAfter(String lastEventId) {
    if (lastEventId == null || lastEventId.isBlank()) {
      return 0;
    }
    try {
      long seq = Long.parseLong(lastEventId.trim());
      if (seq >= 0) {
        return seq;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new InvalidJobException(LAST_EVENT_ID, "an event id this stream sent (a number)");
  }
}
