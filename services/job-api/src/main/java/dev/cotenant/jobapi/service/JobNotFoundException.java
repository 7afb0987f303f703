package dev.cotenant.jobapi.service;

/** No such job for this caller: another tenant's job is reported exactly like a missing one. */
public class JobNotFoundException extends RuntimeException {
  public JobNotFoundException(String id) {
    super("no job " + id, null, false, false);
  }
}
