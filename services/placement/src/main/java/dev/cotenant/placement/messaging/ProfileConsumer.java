package dev.cotenant.placement.messaging;

import dev.cotenant.events.AppProfile;
import dev.cotenant.events.CotenantEvent;
import dev.cotenant.events.EventDeserializer;
import dev.cotenant.events.Topics;
import dev.cotenant.placement.service.Scheduler;
import dev.cotenant.service.messaging.ConsumerLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.jboss.logging.Logger;

/**
 * The compacted {@code cotenant.profiles} topic, read as a table: from the beginning at every start
 * (a group of its own that never commits), the latest profile per app, into the engine's model.
 * Standbys read it too, so a new leader scores with what the old one knew.
 */
public final class ProfileConsumer extends ConsumerLoop<String, byte[]> {
  private static final Logger LOG = Logger.getLogger(ProfileConsumer.class);

  private final Scheduler scheduler;
  private final Map<String, Object> kafka;
  private final String group;
  private final EventDeserializer deserializer = new EventDeserializer();

  public ProfileConsumer(
      Scheduler scheduler, Map<String, Object> kafka, String group, Duration retryBackoff) {
    super(Topics.PROFILES, "placement-profiles", retryBackoff);
    this.scheduler = scheduler;
    this.kafka = kafka;
    this.group = group + "-profiles-" + UUID.randomUUID();
  }

  @Override
  protected boolean ready() {
    return true;
  }

  @Override
  protected Consumer<String, byte[]> create() {
    return Consumers.create(kafka, group, "placement-profiles", 1000);
  }

  @Override
  protected void handle(
      Consumer<String, byte[]> consumer, ConsumerRecords<String, byte[]> records) {
    if (records.isEmpty()) {
      return;
    }
    List<AppProfile> batch = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> record : records) {
      try {
        CotenantEvent event =
            deserializer.deserialize(record.topic(), record.headers(), record.value());
        if (event instanceof AppProfile p && p.app() != null) {
          batch.add(p);
        }
      } catch (RuntimeException e) {
        LOG.warnf(
            "profiles: skipping %s-%d@%d: %s",
            record.topic(), record.partition(), record.offset(), e.getMessage());
      }
    }
    if (!batch.isEmpty()) {
      scheduler.profiles(batch);
    }
  }
}
