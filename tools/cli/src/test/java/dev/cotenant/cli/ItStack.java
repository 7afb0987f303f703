package dev.cotenant.cli;

import dev.cotenant.testsupport.Ports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the end-to-end tests share: a home of their own and free ports for every component. */
final class ItStack {
  private ItStack() {}

  /** World-traversable like a checkout: PostgreSQL runs as 'nobody' under a root CI. */
  static Path home(String prefix) throws IOException {
    return Files.createTempDirectory(
        prefix, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
  }

  /** A free port for each of the launcher's components. */
  static LaunchPorts freePorts() {
    Map<String, Integer> free = new LinkedHashMap<>();
    LaunchPorts.DEFAULTS.keySet().forEach(name -> free.put(name, Ports.free()));
    return new LaunchPorts(free);
  }
}
