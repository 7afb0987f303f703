package dev.cotenant.profiler.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** Which app a pod runs (table {@code pod}), as of the event that said so. */
@Entity
@Table(name = "pod")
public class PodEntity {
  @Id public String pod;

  public String app;

  @Column(name = "seen_at")
  public Instant seenAt;
}
