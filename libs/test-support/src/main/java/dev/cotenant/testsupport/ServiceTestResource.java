package dev.cotenant.testsupport;

import java.util.HashMap;
import java.util.Map;

/**
 * A service's {@code @QuarkusTest} resource: {@link CotenantTestResource} with the service's own
 * database, Cotenant's topics (3 partitions each) and the public key of {@link Tokens}. A service
 * adds its own settings with {@link #serviceConfig()}.
 */
public abstract class ServiceTestResource extends CotenantTestResource {
  static final int PARTITIONS = 3;

  private final TestDatabase database;

  protected ServiceTestResource(TestDatabase database) {
    this.database = database;
  }

  @Override
  public void init(Map<String, String> initArgs) {
    Map<String, String> args = new HashMap<>(initArgs);
    args.putIfAbsent(DATABASE_ARG, database.name());
    super.init(args);
  }

  @Override
  public Map<String, String> start() {
    Map<String, String> config = new HashMap<>(super.start());
    TestStack.get().kafka().createCotenantTopics(PARTITIONS);
    config.put("mp.jwt.verify.publickey.location", Tokens.publicKeyFile().toString());
    config.putAll(serviceConfig());
    return config;
  }

  /** Settings of this service's tests, on top of the stack's. */
  protected Map<String, String> serviceConfig() {
    return Map.of();
  }
}
