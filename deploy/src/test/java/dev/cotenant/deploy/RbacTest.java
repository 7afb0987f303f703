package dev.cotenant.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cotenant.testsupport.ApiCall;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The RBAC of deploy/k8s allows exactly the Kubernetes calls each service makes: those its {@code
 * kubernetes-api-calls.txt} declares, which the service's own KubernetesApiCallsTest keeps equal to
 * what its code sends to the embedded API. A rule no call needs fails, and so does a call no rule
 * allows. job-api and profiler are bound to nothing.
 */
class RbacTest {
  static final String NAMESPACE = KubernetesManifestsTest.NAMESPACE;

  @ParameterizedTest
  @ValueSource(strings = {"placement", "monitor"})
  void theBaseAllowsExactlyTheCallsTheServiceMakes(String service) throws Exception {
    assertThat(allowed(Manifests.baseFiles(), service))
        .as("allowed to %s (left) against %s (right)", service, Repository.declaredCalls(service))
        .containsExactlyInAnyOrderElementsOf(ApiCall.read(Repository.declaredCalls(service)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"job-api", "profiler"})
  void servicesThatDoNotCallTheApiAreBoundToNothing(String service) throws Exception {
    assertThat(Repository.declaredCalls(service)).doesNotExist();
    assertThat(allowed(Manifests.baseFiles(), service)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"overlays/dev", "overlays/tracing"})
  void theOverlaysChangeNoPermission(String overlay) throws Exception {
    var kubectl = Manifests.kubectl();
    Assumptions.assumeTrue(
        kubectl.isPresent(), "kubectl is not on the PATH: " + overlay + " not rendered");
    List<HasMetadata> rendered = Manifests.render(kubectl.get(), overlay);
    for (String service : Repository.SERVICES) {
      Set<ApiCall> expected =
          Repository.KUBERNETES_CLIENTS.contains(service)
              ? ApiCall.read(Repository.declaredCalls(service))
              : Set.of();
      assertThat(allowed(rendered, service))
          .as(overlay + ": " + service)
          .containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  @Test
  void everyRoleIsBoundAndEveryBindingNamesAServiceAccountOfOurs() throws Exception {
    List<HasMetadata> objects = Manifests.baseFiles();
    Set<String> accounts = new LinkedHashSet<>();
    KubernetesManifestsTest.all(objects, io.fabric8.kubernetes.api.model.ServiceAccount.class)
        .forEach(a -> accounts.add(a.getMetadata().getName()));
    List<RoleRef> refs = new ArrayList<>();
    List<Subject> subjects = new ArrayList<>();
    for (ClusterRoleBinding b : KubernetesManifestsTest.all(objects, ClusterRoleBinding.class)) {
      refs.add(b.getRoleRef());
      subjects.addAll(b.getSubjects());
    }
    for (RoleBinding b : KubernetesManifestsTest.all(objects, RoleBinding.class)) {
      refs.add(b.getRoleRef());
      subjects.addAll(b.getSubjects());
    }
    for (Subject s : subjects) {
      assertThat(s.getKind()).isEqualTo("ServiceAccount");
      assertThat(s.getNamespace()).isEqualTo(NAMESPACE);
      assertThat(accounts).contains(s.getName());
    }
    for (ClusterRole r : KubernetesManifestsTest.all(objects, ClusterRole.class)) {
      assertThat(refs)
          .as("ClusterRole " + r.getMetadata().getName() + " is bound")
          .anyMatch(
              ref ->
                  ref.getKind().equals("ClusterRole")
                      && ref.getName().equals(r.getMetadata().getName()));
    }
    for (Role r : KubernetesManifestsTest.all(objects, Role.class)) {
      assertThat(refs)
          .as("Role " + r.getMetadata().getName() + " is bound")
          .anyMatch(
              ref ->
                  ref.getKind().equals("Role") && ref.getName().equals(r.getMetadata().getName()));
    }
    for (RoleRef ref : refs) {
      Class<? extends HasMetadata> type =
          ref.getKind().equals("Role") ? Role.class : ClusterRole.class;
      KubernetesManifestsTest.find(objects, type, ref.getName());
    }
  }

  /**
   * Every call the roles bound to ServiceAccount {@code account} allow, rule by rule expanded into
   * verb × group × resource. A wildcard or a resourceNames limit fails: this check could not say
   * what they allow.
   */
  static Set<ApiCall> allowed(List<HasMetadata> objects, String account) {
    Set<ApiCall> calls = new LinkedHashSet<>();
    for (ClusterRoleBinding b : KubernetesManifestsTest.all(objects, ClusterRoleBinding.class)) {
      if (binds(b.getSubjects(), account)) {
        calls.addAll(expand(rules(objects, b.getRoleRef())));
      }
    }
    for (RoleBinding b : KubernetesManifestsTest.all(objects, RoleBinding.class)) {
      if (binds(b.getSubjects(), account)) {
        calls.addAll(expand(rules(objects, b.getRoleRef())));
      }
    }
    return calls;
  }

  private static boolean binds(List<Subject> subjects, String account) {
    return subjects.stream()
        .anyMatch(
            s ->
                s.getKind().equals("ServiceAccount")
                    && s.getName().equals(account)
                    && NAMESPACE.equals(s.getNamespace()));
  }

  private static List<PolicyRule> rules(List<HasMetadata> objects, RoleRef ref) {
    return ref.getKind().equals("Role")
        ? KubernetesManifestsTest.find(objects, Role.class, ref.getName()).getRules()
        : KubernetesManifestsTest.find(objects, ClusterRole.class, ref.getName()).getRules();
  }

  private static Set<ApiCall> expand(List<PolicyRule> rules) {
    Set<ApiCall> calls = new LinkedHashSet<>();
    for (PolicyRule r : rules) {
      assertThat(r.getResourceNames()).as("resourceNames in %s", r).isNullOrEmpty();
      assertThat(r.getNonResourceURLs()).as("nonResourceURLs in %s", r).isNullOrEmpty();
      for (String group : r.getApiGroups()) {
        for (String resource : r.getResources()) {
          for (String verb : r.getVerbs()) {
            assertThat(List.of(group, resource, verb)).as("wildcard in %s", r).doesNotContain("*");
            calls.add(new ApiCall(verb, group, resource));
          }
        }
      }
    }
    return calls;
  }
}
