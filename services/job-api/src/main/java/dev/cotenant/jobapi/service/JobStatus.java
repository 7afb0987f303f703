package dev.cotenant.jobapi.service;

/**
 * A job's status, ordered by {@link #rank()}: the read model only moves a job to a higher rank
 * (events may arrive out of order), and terminal states never change again.
 */
public enum JobStatus {
  SUBMITTED(0),
  QUEUED(1),
  /** Queued, but its gang fits nowhere now (same rank as QUEUED: the later event wins). */
  UNSCHEDULABLE(1),
  PLACED(2),
  RUNNING(3),
  /** Above RUNNING: a cancel asked for stays visible until placement answers. */
  CANCEL_REQUESTED(4),
  SUCCEEDED(5),
  FAILED(5),
  CANCELLED(5);

  private final int rank;

  JobStatus(int rank) {
    this.rank = rank;
  }

  public int rank() {
    return rank;
  }

  public boolean terminal() {
    return rank == SUCCEEDED.rank;
  }
}
