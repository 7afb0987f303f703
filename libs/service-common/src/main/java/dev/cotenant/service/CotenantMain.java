package dev.cotenant.service;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Every service's entry point. It turns off Quarkus' own check of the request target before Quarkus
 * starts (the switch is read once, when its HTTP layer is set up), because that check answers a
 * malformed percent-encoding with an empty 400; {@code HttpGuard} makes the same check and answers
 * with a problem naming the request target. Tests set the same property in the build.
 */
@QuarkusMain
public final class CotenantMain {
  /** Quarkus' switch (VertxHttpRecorder): when true, it leaves the request target to us. */
  public static final String DISABLE_URI_VALIDATION = "vertx.disableURIValidation";

  private CotenantMain() {}

  public static void main(String... args) {
    System.setProperty(DISABLE_URI_VALIDATION, "true");
    Quarkus.run(args);
  }
}
