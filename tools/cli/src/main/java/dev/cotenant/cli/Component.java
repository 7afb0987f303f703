package dev.cotenant.cli;

import java.net.URI;
import java.util.List;

/**
 * A process the launcher starts: its name (also its log and PID file name), the URL users reach it
 * at, its health endpoint and the java arguments that start it.
 */
public record Component(String name, String url, URI health, List<String> javaArgs) {
  public Component {
    javaArgs = List.copyOf(javaArgs);
  }

  /** A JVM system property that marks the process as ours, checked before we ever signal it. */
  public String marker() {
    return "-Dcotenant.component=" + name;
  }
}
