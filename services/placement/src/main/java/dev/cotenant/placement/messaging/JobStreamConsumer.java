package dev.cotenant.placement.messaging;

import dev.cotenant.events.Topics;
import dev.cotenant.placement.service.Scheduler;
import dev.cotenant.service.messaging.ConsumerLoop;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * A consumer of a job topic that only the active replica runs, once its cluster view is whole; a
 * record it cannot read goes to its dead-letter topic and the stream moves on.
 */
abstract class JobStreamConsumer extends ConsumerLoop<String, byte[]> {
  private static final Logger LOG = Logger.getLogger(JobStreamConsumer.class);

  final Scheduler scheduler;
  private final EventPublisher publisher;
  private final Map<String, Object> kafka;
  private final String topic;
  private final String group;
  private final String clientId;
  private final int maxBatch;

  /** The settings every such consumer takes. */
  record Settings(Map<String, Object> kafka, String group, int maxBatch, Duration retryBackoff) {}

  JobStreamConsumer(
      String topic, String clientId, Scheduler scheduler, EventPublisher publisher, Settings s) {
    super(topic, clientId, s.retryBackoff());
    this.scheduler = scheduler;
    this.publisher = publisher;
    this.kafka = s.kafka();
    this.topic = topic;
    this.group = s.group();
    this.clientId = clientId;
    this.maxBatch = s.maxBatch();
  }

  String deadLetterTopic() {
    return Topics.deadLetter(topic, group);
  }

  @Override
  protected boolean ready() {
    return scheduler.active() && scheduler.synced();
  }

  @Override
  protected Consumer<String, byte[]> create() {
    return Consumers.active(kafka, group, clientId, maxBatch);
  }

  void flushEvents() {
    publisher.flush();
  }

  /** Sends the record to the dead-letter topic and waits for the broker's ack. */
  void deadLetter(ConsumerRecord<String, byte[]> record, String error) {
    LOG.warnf(
        "%s-%d@%d to %s: %s",
        record.topic(), record.partition(), record.offset(), deadLetterTopic(), error);
    publisher.deadLetter(deadLetterTopic(), record, error);
  }
}
