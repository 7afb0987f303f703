package dev.cotenant.jobapi.service;

import java.util.List;

/** A request the API rejects with 400, naming every invalid field. */
public class InvalidJobException extends RuntimeException {
  private final transient List<Violation> violations;

  public InvalidJobException(List<Violation> violations) {
    super(violations.size() + " invalid field(s)", null, false, false);
    this.violations = List.copyOf(violations);
  }

  public InvalidJobException(String field, String message) {
    this(List.of(new Violation(field, message)));
  }

  public List<Violation> violations() {
    return violations;
  }
}
