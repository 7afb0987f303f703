package dev.cotenant.cli;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * A process the launcher starts: its name (also its log and PID file name), the URL users reach it
 * at, its health endpoint, the runnable jar with the java options and program arguments around it,
 * and the names of the ports it listens on (as in {@link LaunchPorts}).
 */
public record Component(
    String name,
    String url,
    URI health,
    Path jar,
    List<String> javaOptions,
    List<String> programArgs,
    List<String> ports) {
  public Component {
    javaOptions = List.copyOf(javaOptions);
    programArgs = List.copyOf(programArgs);
    ports = List.copyOf(ports);
  }

  /** A JVM system property that marks the process as ours, checked before we ever signal it. */
  public String marker() {
    return "-Dcotenant.component=" + name;
  }
}
