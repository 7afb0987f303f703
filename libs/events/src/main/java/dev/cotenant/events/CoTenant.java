package dev.cotenant.events;

/**
 * Another pod sharing a device with the subject pod, and how much of the subject's run time it
 * shared that device ({@code share}, 0-1). The profiler turns these into interference observations.
 */
public record CoTenant(String app, String pod, Device device, double share) {
  public enum Device {
    GPU,
    CPU
  }
}
