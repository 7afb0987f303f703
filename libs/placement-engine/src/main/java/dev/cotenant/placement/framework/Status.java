package dev.cotenant.placement.framework;

/**
 * A plugin's verdict, with the fixed codes of the Kubernetes scheduling framework.
 *
 * @param code the outcome
 * @param reasonCode a stable machine code ({@code InsufficientCpu}...), empty on success
 * @param message a human reason, empty on success
 */
public record Status(Code code, String reasonCode, String message) {

  public enum Code {
    SUCCESS,
    /** Not here, now; may fit after others leave. */
    UNSCHEDULABLE,
    /** Not here, ever (no release would help). */
    UNSCHEDULABLE_AND_UNRESOLVABLE,
    /** Permit only: wait for the rest of the gang. */
    WAIT,
    ERROR,
    /** The plugin has nothing to say about this pod. */
    SKIP
  }

  public static final Status SUCCESS = new Status(Code.SUCCESS, "", "");
  public static final Status SKIP = new Status(Code.SKIP, "", "");

  public static Status unschedulable(String reasonCode, String message) {
    return new Status(Code.UNSCHEDULABLE, reasonCode, message);
  }

  public static Status unresolvable(String reasonCode, String message) {
    return new Status(Code.UNSCHEDULABLE_AND_UNRESOLVABLE, reasonCode, message);
  }

  public static Status error(String reasonCode, String message) {
    return new Status(Code.ERROR, reasonCode, message);
  }

  /** Success or skip: the candidate may stay. */
  public boolean passes() {
    return code == Code.SUCCESS || code == Code.SKIP;
  }
}
