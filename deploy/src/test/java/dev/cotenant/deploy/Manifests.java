package dev.cotenant.deploy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** deploy/k8s read with fabric8's model, as files and as kustomize renders them. */
final class Manifests {
  static final Path K8S = Repository.path("deploy/k8s");
  static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private Manifests() {}

  /** Every manifest file (not the kustomization.yaml files). */
  static List<Path> files() throws IOException {
    try (Stream<Path> s = Files.walk(K8S)) {
      return s.filter(p -> p.toString().endsWith(".yaml"))
          .filter(p -> !p.getFileName().toString().equals("kustomization.yaml"))
          .sorted()
          .toList();
    }
  }

  static List<HasMetadata> parse(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return items(SERIALIZATION.unmarshal(in));
    }
  }

  static List<HasMetadata> parse(String yaml) {
    return items(
        SERIALIZATION.unmarshal(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))));
  }

  @SuppressWarnings("unchecked")
  private static List<HasMetadata> items(Object parsed) {
    if (parsed instanceof KubernetesList list) {
      return list.getItems();
    }
    if (parsed instanceof List<?> list) {
      return (List<HasMetadata>) list;
    }
    return List.of((HasMetadata) parsed);
  }

  /** The base's files as they are, without kustomize (no namespace, no common labels). */
  static List<HasMetadata> baseFiles() throws IOException {
    List<HasMetadata> all = new ArrayList<>();
    for (Path f : files()) {
      if (f.startsWith(K8S.resolve("base"))) {
        all.addAll(parse(f));
      }
    }
    return all;
  }

  /**
   * kubectl on the PATH, if any; {@code -Dcotenant.deploy.kubectl=PATH} names another one, and
   * {@code =none} runs the tests as where there is none.
   */
  static Optional<Path> kubectl() {
    String chosen = System.getProperty("cotenant.deploy.kubectl", "");
    if (chosen.equals("none")) {
      return Optional.empty();
    }
    if (!chosen.isEmpty()) {
      return Optional.of(Path.of(chosen));
    }
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    return Stream.of(path.split(File.pathSeparator))
        .map(d -> Path.of(d, "kubectl"))
        .filter(Files::isExecutable)
        .findFirst();
  }

  /** {@code kubectl kustomize deploy/k8s/DIR}, parsed. */
  static List<HasMetadata> render(Path kubectl, String dir)
      throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(kubectl.toString(), "kustomize", K8S.resolve(dir).toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("kubectl kustomize " + dir + " failed: " + out);
    }
    return parse(out);
  }

  /**
   * Fields fabric8's typed model does not know (kept as additional properties), with their path: a
   * misspelt field (readinesProbe) parses without error otherwise. Custom resources, which fabric8
   * reads as generic ones, have none to check.
   */
  static List<String> unknownFields(Object o, String path) {
    List<String> unknown = new ArrayList<>();
    if (o == null || o instanceof GenericKubernetesResource) {
      return unknown;
    }
    if (o instanceof Collection<?> c) {
      int i = 0;
      for (Object x : c) {
        unknown.addAll(unknownFields(x, path + "[" + i++ + "]"));
      }
      return unknown;
    }
    if (o instanceof Map<?, ?> m) {
      m.forEach((k, v) -> unknown.addAll(unknownFields(v, path + "." + k)));
      return unknown;
    }
    if (!(o instanceof KubernetesResource)) {
      return unknown;
    }
    for (Method m : o.getClass().getMethods()) {
      if (m.getParameterCount() != 0
          || !m.getName().startsWith("get")
          || m.getName().equals("getClass")) {
        continue;
      }
      Object value;
      try {
        value = m.invoke(o);
      } catch (ReflectiveOperationException e) {
        continue;
      }
      if (m.getName().equals("getAdditionalProperties")) {
        if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
          unknown.add(path + ": " + extra.keySet());
        }
      } else {
        unknown.addAll(unknownFields(value, path + "." + m.getName().substring(3)));
      }
    }
    return unknown;
  }
}
