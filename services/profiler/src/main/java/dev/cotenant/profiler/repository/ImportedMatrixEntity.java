package dev.cotenant.profiler.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** The matrix an admin imported (table {@code imported_matrix}, the one row {@code id = 1}). */
@Entity
@Table(name = "imported_matrix")
public class ImportedMatrixEntity {
  /** The only id the table allows. */
  public static final int ID = 1;

  @Id public int id;

  public String device;

  /** The file's text as it was sent. */
  public String body;

  @Column(name = "imported_at")
  public Instant importedAt;
}
