package dev.cotenant.service.messaging;

import dev.cotenant.events.CotenantEvent;
import dev.cotenant.events.EventDeserializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * A topic read as a view, not as work: every instance reads all of it in a group of its own that
 * never commits, from the beginning (a compacted table such as the profiles) or from the end (a
 * stream whose latest records are the state, such as telemetry). Records that are not events are
 * skipped with a warning: nothing is lost by it, since the view only keeps the latest per key and
 * no other reader depends on this one.
 */
public final class EventTail extends ConsumerLoop<String, byte[]> {
  private static final Logger LOG = Logger.getLogger(EventTail.class);

  /** Where a new tail starts reading. */
  public enum From {
    BEGINNING,
    END
  }

  private final Map<String, Object> kafka;
  private final String group;
  private final String clientId;
  private final From from;
  private final Consumer<List<CotenantEvent>> sink;
  private final EventDeserializer deserializer = new EventDeserializer();
  private long everyMillis;
  private final Map<String, Long> burstStart = new HashMap<>();

  /** Records of one key's burst (one scrape of one node, say) arrive within this of each other. */
  static final long BURST_MILLIS = 500;

  /**
   * @param groupPrefix the group is this plus a random suffix, so instances never share partitions
   * @param sink gets each poll's events (never an empty list), on the tail's own thread
   */
  public EventTail(
      String topic,
      String clientId,
      Map<String, Object> kafka,
      String groupPrefix,
      From from,
      Duration retryBackoff,
      Consumer<List<CotenantEvent>> sink) {
    super(topic, clientId, retryBackoff);
    this.kafka = kafka;
    this.group = groupPrefix + "-" + UUID.randomUUID();
    this.clientId = clientId;
    this.from = from;
    this.sink = sink;
  }

  /**
   * A sink that takes only the events of {@code type}, and is not called when a poll holds none:
   * what every view of one contract wants.
   */
  public static <T extends CotenantEvent> Consumer<List<CotenantEvent>> only(
      Class<T> type, Consumer<List<T>> sink) {
    return events -> {
      List<T> wanted = events.stream().filter(type::isInstance).map(type::cast).toList();
      if (!wanted.isEmpty()) {
        sink.accept(wanted);
      }
    };
  }

  /**
   * Takes at most one burst of records per key every {@code interval} (by record timestamp), and
   * skips the rest unread: a view of the newest state per key need not decode every record of a
   * stream that repeats itself (the monitor's samples of every node, every scrape). Decided on the
   * key and timestamp alone, before the value is parsed.
   */
  public EventTail everyPerKey(Duration interval) {
    this.everyMillis = interval.toMillis();
    return this;
  }

  /** Whether the record is read; with {@link #everyPerKey}, only one burst per key per interval. */
  boolean wanted(String key, long timestamp) {
    if (everyMillis <= 0 || key == null) {
      return true;
    }
    Long start = burstStart.get(key);
    if (start == null || timestamp >= start + everyMillis || timestamp < start) {
      burstStart.put(key, timestamp);
      return true;
    }
    return timestamp - start <= BURST_MILLIS;
  }

  @Override
  protected boolean ready() {
    return true;
  }

  @Override
  protected org.apache.kafka.clients.consumer.Consumer<String, byte[]> create() {
    Map<String, Object> props = KafkaSettings.forClient(kafka, ConsumerConfig.configNames());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, from == From.BEGINNING ? "earliest" : "latest");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    // Topics are made by whoever provisions the cluster, with their settings (profiles
    // compacted); a reader that subscribed first must not make one with the broker's defaults.
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
  }

  @Override
  protected void handle(
      org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer,
      ConsumerRecords<String, byte[]> records) {
    if (records.isEmpty()) {
      return;
    }
    List<CotenantEvent> events = new ArrayList<>(records.count());
    for (ConsumerRecord<String, byte[]> record : records) {
      if (!wanted(record.key(), record.timestamp())) {
        continue;
      }
      try {
        CotenantEvent event =
            deserializer.deserialize(record.topic(), record.headers(), record.value());
        if (event != null) {
          events.add(event);
        }
      } catch (RuntimeException e) {
        LOG.warnf(
            "%s: skipping %s-%d@%d: %s",
            clientId, record.topic(), record.partition(), record.offset(), e.getMessage());
      }
    }
    if (!events.isEmpty()) {
      sink.accept(events);
    }
  }
}
