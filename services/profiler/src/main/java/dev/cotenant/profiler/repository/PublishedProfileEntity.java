package dev.cotenant.profiler.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** The fingerprint of an app's last published profile (table {@code published_profile}). */
@Entity
@Table(name = "published_profile")
public class PublishedProfileEntity {
  @Id public String app;

  public String fingerprint;

  @Column(name = "published_at")
  public Instant publishedAt;
}
