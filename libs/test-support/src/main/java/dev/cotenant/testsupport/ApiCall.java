package dev.cotenant.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * One kind of request to the Kubernetes API as RBAC sees it: a verb on a resource (or subresource)
 * of an API group. What the embedded API records ({@link KubernetesApiServer#calls()}), so that a
 * service's tests can compare the calls its code makes with the calls its role allows.
 *
 * @param verb RBAC's verb: get, list, watch, create, update, patch, delete, deletecollection
 * @param group the API group, {@code ""} for the core group
 * @param resource the resource, with its subresource after a slash ({@code pods/binding})
 */
public record ApiCall(String verb, String group, String resource) {
  /** How the core group ({@code ""}) is written in text. */
  public static final String CORE = "core";

  /**
   * The call an HTTP request to the API makes; empty for non-resource URLs ({@code /version},
   * {@code /api}, {@code /apis/<group>/<version>}, {@code /openapi/...}), which RBAC grants every
   * authenticated user through the default discovery roles.
   */
  public static Optional<ApiCall> of(String method, String pathAndQuery) {
    int q = pathAndQuery.indexOf('?');
    String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    String query = q < 0 ? "" : pathAndQuery.substring(q + 1);
    String[] s = Arrays.stream(path.split("/")).filter(p -> !p.isEmpty()).toArray(String[]::new);
    String group;
    int rest;
    if (s.length >= 3 && s[0].equals("api")) {
      group = "";
      rest = 2;
    } else if (s.length >= 4 && s[0].equals("apis")) {
      group = s[1];
      rest = 3;
    } else {
      return Optional.empty();
    }
    String[] r = Arrays.copyOfRange(s, rest, s.length);
    if (r.length >= 3 && r[0].equals("namespaces")) {
      r = Arrays.copyOfRange(r, 2, r.length); // namespaced: namespaces/{ns}/{resource}...
    }
    String resource = r[0];
    boolean named = r.length >= 2;
    if (r.length >= 3) {
      resource = resource + "/" + r[2];
    }
    String verb =
        switch (method.toUpperCase(java.util.Locale.ROOT)) {
          case "GET" -> named ? "get" : isWatch(query) ? "watch" : "list";
          case "POST" -> "create";
          case "PUT" -> "update";
          case "PATCH" -> "patch";
          case "DELETE" -> named ? "delete" : "deletecollection";
          default -> method.toLowerCase(java.util.Locale.ROOT);
        };
    return Optional.of(new ApiCall(verb, group, resource));
  }

  private static boolean isWatch(String query) {
    return Arrays.stream(query.split("&"))
        .anyMatch(p -> p.equals("watch=true") || p.equals("watch=1"));
  }

  /** Parses {@link #toString()}'s form: {@code verb group resource}, the core group as "core". */
  public static ApiCall parse(String line) {
    String[] f = line.trim().split("\\s+");
    if (f.length != 3) {
      throw new IllegalArgumentException("not 'verb group resource': " + line);
    }
    return new ApiCall(f[0], f[1].equals(CORE) ? "" : f[1], f[2]);
  }

  /**
   * A declared list of calls: one call a line in {@link #parse} form, optionally followed by a
   * note; {@code #} starts a comment, blank lines are skipped.
   */
  public static Set<ApiCall> read(Path file) throws IOException {
    Set<ApiCall> calls = new LinkedHashSet<>();
    for (String line : Files.readAllLines(file)) {
      String[] f = line.replaceFirst("#.*", "").trim().split("\\s+");
      if (f.length >= 3) {
        calls.add(parse(f[0] + " " + f[1] + " " + f[2]));
      } else if (!f[0].isEmpty()) {
        throw new IllegalArgumentException(file + ": not 'verb group resource [note]': " + line);
      }
    }
    return calls;
  }

  @Override
  public String toString() {
    return verb + " " + (group.isEmpty() ? CORE : group) + " " + resource;
  }
}
