package dev.cotenant.profiler.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** Per GPU, the time of the last sample counted (table {@code gpu_watermark}). */
@Entity
@Table(name = "gpu_watermark")
@IdClass(GpuWatermarkEntity.Key.class)
public class GpuWatermarkEntity {
  @Id public String node;

  @Id
  @Column(name = "gpu_index")
  public int gpuIndex;

  @Column(name = "sample_time")
  public Instant sampleTime;

  /** The primary key (node, gpu_index). */
  public static class Key implements Serializable {
    public String node;
    public int gpuIndex;

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && k.gpuIndex == gpuIndex && Objects.equals(k.node, node);
    }

    @Override
    public int hashCode() {
      return Objects.hash(node, gpuIndex);
    }
  }
}
