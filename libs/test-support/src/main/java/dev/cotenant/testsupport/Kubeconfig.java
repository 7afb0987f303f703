package dev.cotenant.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A kubeconfig for the embedded Kubernetes API: cluster, user and context all named {@code
 * cotenant}, the context current, plain HTTP and no credentials (the embedded API has no auth).
 */
public final class Kubeconfig {
  public static final String NAME = "cotenant";

  private Kubeconfig() {}

  /** The file's text for a server at {@code serverUrl}, e.g. {@code http://127.0.0.1:18443}. */
  public static String text(String serverUrl) {
    return String.join(
        "\n",
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        "- name: " + NAME,
        "  cluster:",
        "    server: " + serverUrl,
        "users:",
        "- name: " + NAME,
        "  user: {}",
        "contexts:",
        "- name: " + NAME,
        "  context:",
        "    cluster: " + NAME,
        "    user: " + NAME,
        "    namespace: default",
        "current-context: " + NAME,
        "preferences: {}",
        "");
  }

  /**
   * Writes the kubeconfig to {@code file} (replacing it whole, so a kubectl reading it never sees
   * half a file) and returns the file.
   */
  public static Path write(Path file, String serverUrl) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path partial = Files.createTempFile(dir, ".kubeconfig", ".tmp");
    Files.writeString(partial, text(serverUrl), StandardCharsets.UTF_8);
    return Files.move(
        partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
