package dev.cotenant.profiler.support;

import dev.cotenant.testsupport.ServiceTestResource;
import dev.cotenant.testsupport.TestDatabase;
import dev.cotenant.testsupport.TestStack;
import java.util.Map;

/**
 * The shared test stack with the {@code profiler} database, and short flush/publish intervals so
 * tests do not wait long.
 */
public class ProfilerTestResource extends ServiceTestResource {
  public static final TestDatabase DATABASE = new TestDatabase("profiler");

  /** The profiler's consumer group. */
  public static final String GROUP = "profiler";

  /** The tenant of the tests' tokens; the profiler serves every tenant alike. */
  public static final String TENANT = "demo";

  public ProfilerTestResource() {
    super(DATABASE);
  }

  /** The shared broker's bootstrap servers. */
  public static String kafka() {
    return TestStack.get().kafka().bootstrapServers();
  }

  @Override
  protected Map<String, String> serviceConfig() {
    return Map.of(
        "cotenant.profiler.flush-interval", "200ms", "cotenant.profiler.publish-interval", "300ms");
  }
}
