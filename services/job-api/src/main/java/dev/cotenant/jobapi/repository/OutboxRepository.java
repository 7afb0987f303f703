package dev.cotenant.jobapi.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

/** Writes outbox rows in the caller's transaction; {@code messaging.OutboxRelay} reads them. */
@ApplicationScoped
public class OutboxRepository implements PanacheRepositoryBase<OutboxEntity, Long> {}
