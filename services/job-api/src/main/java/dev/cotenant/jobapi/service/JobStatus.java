package dev.cotenant.jobapi.service;

/** What job-api knows of a job before the read model of job events arrives. */
public enum JobStatus {
  SUBMITTED,
  CANCEL_REQUESTED
}
