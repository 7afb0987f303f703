package dev.cotenant.placement.state;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * App names interned to small dense ints, process-wide, so hot paths (predictions, compatibility,
 * cost) index arrays instead of hashing strings. Ids are never reused; the table grows with the
 * number of distinct app names ever seen (a few hundred in practice). Thread-safe.
 */
public final class AppIds {

  private static final ConcurrentHashMap<String, Integer> IDS = new ConcurrentHashMap<>();
  private static volatile String[] names = new String[0];

  private AppIds() {}

  /** The id of {@code app}, assigned on first sight. */
  public static int of(String app) {
    Integer id = IDS.get(app);
    return id != null ? id : assign(app);
  }

  /** The name of an id handed out by {@link #of}. */
  public static String name(int id) {
    return names[id];
  }

  /** One more than the largest id handed out so far. */
  public static int count() {
    return names.length;
  }

  private static synchronized int assign(String app) {
    Integer id = IDS.get(app);
    if (id != null) {
      return id;
    }
    int next = names.length;
    String[] grown = Arrays.copyOf(names, next + 1);
    grown[next] = app;
    names = grown;
    IDS.put(app, next);
    return next;
  }
}
