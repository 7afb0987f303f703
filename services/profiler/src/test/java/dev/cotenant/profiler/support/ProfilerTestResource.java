package dev.cotenant.profiler.support;

import dev.cotenant.testsupport.CotenantTestResource;
import dev.cotenant.testsupport.TestStack;
import java.util.HashMap;
import java.util.Map;

/**
 * The shared test stack (Kafka, PostgreSQL database {@code profiler}) with Cotenant's topics, the
 * public key of {@link Tokens}, and short flush/publish intervals so tests do not wait long.
 */
public class ProfilerTestResource extends CotenantTestResource {

  @Override
  public void init(Map<String, String> initArgs) {
    Map<String, String> args = new HashMap<>(initArgs);
    args.putIfAbsent(DATABASE_ARG, "profiler");
    super.init(args);
  }

  @Override
  public Map<String, String> start() {
    Map<String, String> config = new HashMap<>(super.start());
    TestStack.get().kafka().createCotenantTopics(3);
    config.put("mp.jwt.verify.publickey.location", Tokens.publicKeyFile().toString());
    config.put("cotenant.profiler.flush-interval", "200ms");
    config.put("cotenant.profiler.publish-interval", "300ms");
    return config;
  }
}
