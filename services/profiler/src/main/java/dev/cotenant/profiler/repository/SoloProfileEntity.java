package dev.cotenant.profiler.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** The sums of an app's solo telemetry samples (table {@code solo_profile}). */
@Entity
@Table(name = "solo_profile")
public class SoloProfileEntity {
  @Id public String app;

  public long samples;

  @Column(name = "sum_sm")
  public double sumSm;

  @Column(name = "sum_dram")
  public double sumDram;

  @Column(name = "sum_util")
  public double sumUtil;

  @Column(name = "max_memory_mib")
  public long maxMemoryMiB;

  @Column(name = "updated_at")
  public Instant updatedAt;
}
