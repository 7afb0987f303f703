package dev.cotenant.profiler.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A learned run (table {@code observation}). Like every entity here, only read: the writes are
 * {@link ProfilerRepository}'s native SQL.
 */
@Entity
@Table(name = "observation")
public class ObservationEntity {
  @Id
  @Column(name = "event_id")
  public String eventId;

  /** The order the runs were stored in, which a rebuild replays. */
  public long seq;

  public String app;
  public String pod;

  @Column(name = "run_seconds")
  public double runSeconds;

  @Column(name = "oom_killed")
  public boolean oomKilled;

  /** Co-tenant app → share of the run spent beside it (jsonb). */
  @JdbcTypeCode(SqlTypes.JSON)
  @Column(name = "gpu_shares")
  public Map<String, Double> gpuShares;

  @Column(name = "event_time")
  public Instant eventTime;
}
