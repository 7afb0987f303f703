package dev.cotenant.jobapi.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.UUID;

/** An event to publish, written in the transaction of the change it reports. */
@Entity
@Table(name = "outbox")
public class OutboxEntity {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(name = "event_id", nullable = false)
  public UUID eventId;

  @Column(nullable = false)
  public String topic;

  @Column(name = "message_key", nullable = false)
  public String messageKey;

  /** The CloudEvents type; the relay reads the payload back as that event record. */
  @Column(name = "event_type", nullable = false)
  public String eventType;

  @Column(nullable = false)
  public String payload;

  /** W3C trace context of the request that caused the event, sent as Kafka headers. */
  public String traceparent;

  public String tracestate;
}
