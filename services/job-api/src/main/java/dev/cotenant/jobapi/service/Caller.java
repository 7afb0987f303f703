package dev.cotenant.jobapi.service;

import java.util.Optional;

/** Who calls: the tenant whose jobs they see, and whether they administer every tenant. */
public record Caller(String tenant, String subject, boolean admin) {

  /** The tenant a query is limited to: the caller's own, or none for an admin. */
  public Optional<String> visibleTenant() {
    return admin ? Optional.empty() : Optional.of(tenant);
  }
}
