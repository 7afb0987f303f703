package dev.cotenant.placement.messaging;

import dev.cotenant.events.AppProfile;
import dev.cotenant.events.Topics;
import dev.cotenant.placement.service.Scheduler;
import dev.cotenant.service.messaging.EventTail;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The compacted {@code cotenant.profiles} topic, read as a table: from the beginning at every start
 * (a group of its own that never commits), the latest profile per app, into the engine's model.
 * Standbys read it too, so a new leader scores with what the old one knew.
 */
public final class ProfileConsumer {
  private ProfileConsumer() {}

  public static EventTail create(
      Scheduler scheduler, Map<String, Object> kafka, String group, Duration retryBackoff) {
    return new EventTail(
        Topics.PROFILES,
        "placement-profiles",
        kafka,
        group + "-profiles",
        EventTail.From.BEGINNING,
        retryBackoff,
        EventTail.only(
            AppProfile.class,
            profiles -> {
              List<AppProfile> named = profiles.stream().filter(p -> p.app() != null).toList();
              if (!named.isEmpty()) {
                scheduler.profiles(named);
              }
            }));
  }
}
