package dev.cotenant.events;

import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The CloudEvents 1.0 Kafka protocol binding in binary mode: attributes as {@code ce_*} headers,
 * the JSON data as the record value.
 */
public final class CloudEventHeaders {
  public static final String SPEC_VERSION = "ce_specversion";
  public static final String ID = "ce_id";
  public static final String SOURCE = "ce_source";
  public static final String TYPE = "ce_type";
  public static final String TIME = "ce_time";
  public static final String SUBJECT = "ce_subject";

  /** Extension attribute: the tenant that owns the job. */
  public static final String TENANT = "ce_tenant";

  public static final String CONTENT_TYPE = "content-type";
  public static final String JSON = "application/json";

  private CloudEventHeaders() {}

  /**
   * Adds the CloudEvents attributes of {@code event} to {@code headers}; attributes already set
   * (for example by a messaging framework) are kept.
   */
  public static void write(CotenantEvent event, String source, Headers headers) {
    putIfAbsent(headers, SPEC_VERSION, "1.0");
    putIfAbsent(headers, ID, event.eventId());
    putIfAbsent(headers, SOURCE, source);
    putIfAbsent(headers, TYPE, event.type().ceType());
    putIfAbsent(headers, TIME, DateTimeFormatter.ISO_INSTANT.format(event.time()));
    putIfAbsent(headers, SUBJECT, event.key());
    putIfAbsent(headers, CONTENT_TYPE, JSON);
    if (event instanceof JobEvent job && job.tenant() != null) {
      putIfAbsent(headers, TENANT, job.tenant());
    }
  }

  public static Optional<String> read(Headers headers, String name) {
    Header header = headers.lastHeader(name);
    return header == null || header.value() == null
        ? Optional.empty()
        : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
  }

  private static void putIfAbsent(Headers headers, String name, String value) {
    if (headers.lastHeader(name) == null) {
      headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
  }
}
