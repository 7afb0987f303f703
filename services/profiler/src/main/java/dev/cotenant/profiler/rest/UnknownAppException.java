package dev.cotenant.profiler.rest;

/** The profiler knows nothing of this app (no run, no telemetry, not imported). */
public class UnknownAppException extends RuntimeException {
  public UnknownAppException(String app) {
    super("no profile for app '" + app + "'");
  }
}
