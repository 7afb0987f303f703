package dev.cotenant.jobapi.service;

/** An Idempotency-Key reused with a different job body. */
public class IdempotencyConflictException extends RuntimeException {
  public IdempotencyConflictException(String key) {
    super(
        "Idempotency-Key '" + key + "' was already used for a different job body",
        null,
        false,
        false);
  }
}
