package dev.cotenant.monitor.telemetry;

import java.util.Optional;

/**
 * One exporter to scrape.
 *
 * @param node the node it reports on, where known (discovery, or {@code node=url} in config);
 *     empty: the exporter's hostname label names it
 */
public record ScrapeTarget(String url, Optional<String> node) {

  /** {@code http://host:9400/metrics} or {@code node=http://host:9400/metrics}. */
  public static ScrapeTarget parse(String spec) {
    String s = spec.trim();
    int eq = s.indexOf('=');
    int scheme = s.indexOf("://");
    if (eq > 0 && (scheme < 0 || eq < scheme)) {
      return new ScrapeTarget(s.substring(eq + 1).trim(), Optional.of(s.substring(0, eq).trim()));
    }
    return new ScrapeTarget(s, Optional.empty());
  }
}
