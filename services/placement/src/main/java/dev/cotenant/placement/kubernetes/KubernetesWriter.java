package dev.cotenant.placement.kubernetes;

import dev.cotenant.placement.service.ClusterWriter;
import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.events.v1.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link ClusterWriter} through fabric8: the same calls against a real API server and the embedded
 * one. Transient failures (connection errors, 429, 5xx) are retried with exponential backoff by the
 * client itself ({@code kubernetes.request.retry.backoffLimit}); a create or bind that got no
 * answer at all (the request timed out) is sent again here, since the server may not have seen it;
 * what is left is a refusal.
 */
public final class KubernetesWriter implements ClusterWriter {
  private static final long BIND_TIMEOUT_SECONDS = 60;

  /** Sends of a create or bind that got no answer, the first included. */
  static final int UNANSWERED_ATTEMPTS = 4;

  private final KubernetesClient client;
  private final Set<String> namespaces = ConcurrentHashMap.newKeySet();

  private final Timer creates;
  private final Timer binds;

  /**
   * Both writes are idempotent, so sending one again is safe: a pod's name is fixed by its job and
   * a 409 on create or bind is checked against what stands. Seen at the start of a load on a cold
   * stack: the embedded API answered late for a few seconds and every job written then failed.
   */
  private final Retry unanswered =
      Retry.of(
          "kubernetes-write",
          RetryConfig.custom()
              .maxAttempts(UNANSWERED_ATTEMPTS)
              .intervalFunction(IntervalFunction.ofExponentialBackoff(Duration.ofMillis(200), 2))
              .retryOnException(KubernetesWriter::unanswered)
              .failAfterMaxAttempts(false)
              .build());

  public KubernetesWriter(KubernetesClient client, MeterRegistry metrics) {
    this.client = client;
    this.creates = timer(metrics, "create-pod");
    this.binds = timer(metrics, "bind");
  }

  /** A write that got no HTTP answer: it timed out or its connection failed. */
  static boolean unanswered(Throwable e) {
    if (!(e instanceof WriteException w)
        || w.code() > 0
        || Thread.currentThread().isInterrupted()) {
      return false;
    }
    for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
      if (c instanceof TimeoutException || c instanceof java.io.IOException) {
        return true;
      }
    }
    return false;
  }

  private static Timer timer(MeterRegistry metrics, String call) {
    return Timer.builder("cotenant.placement.kubernetes")
        .description("A Kubernetes API call of placement's, retries included")
        .tag("call", call)
        .publishPercentiles(0.5, 0.99)
        .register(metrics);
  }

  @Override
  public void ensureNamespace(String namespace) {
    if (namespaces.contains(namespace)) {
      return;
    }
    try {
      if (client.namespaces().withName(namespace).get() == null) {
        client
            .namespaces()
            .resource(
                new NamespaceBuilder()
                    .withNewMetadata()
                    .withName(namespace)
                    .addToLabels(Names.MANAGED_BY_LABEL, "cotenant")
                    .endMetadata()
                    .build())
            .create();
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw refused("creating namespace " + namespace, e);
      }
    }
    namespaces.add(namespace);
  }

  @Override
  public void createPod(Pod pod) {
    creates.record(() -> unanswered.executeRunnable(() -> create(pod)));
  }

  private void create(Pod pod) {
    String ns = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    try {
      client.pods().inNamespace(ns).resource(pod).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw refused("creating pod " + ns + "/" + name, e);
      }
      Pod existing = client.pods().inNamespace(ns).withName(name).get();
      String job = pod.getMetadata().getLabels().get(Names.JOB_LABEL);
      if (existing == null
          || existing.getMetadata().getLabels() == null
          || !job.equals(existing.getMetadata().getLabels().get(Names.JOB_LABEL))) {
        throw refused("creating pod " + ns + "/" + name + ": another pod has the name", e);
      }
      // Ours from an earlier delivery of the same submission: the pod stands.
    }
  }

  @Override
  public void bind(String namespace, String pod, String node) {
    binds.record(() -> unanswered.executeRunnable(() -> bindOnce(namespace, pod, node)));
  }

  private void bindOnce(String namespace, String pod, String node) {
    Binding binding =
        new BindingBuilder()
            .withNewMetadata()
            .withName(pod)
            .withNamespace(namespace)
            .endMetadata()
            .withNewTarget()
            .withApiVersion("v1")
            .withKind("Node")
            .withName(node)
            .endTarget()
            .build();
    int code;
    String body;
    try {
      // The pods/{name}/binding subresource, as kube-scheduler binds; fabric8 has no typed call
      // for it, so its own HTTP client (same credentials, same retries) posts it.
      HttpClient http = client.getHttpClient();
      String url =
          client.getMasterUrl().toString().replaceAll("/+$", "")
              + "/api/v1/namespaces/"
              + namespace
              + "/pods/"
              + pod
              + "/binding";
      HttpRequest.Builder builder =
          http.newHttpRequestBuilder()
              .uri(url)
              .post("application/json", client.getKubernetesSerialization().asJson(binding));
      int timeoutMillis = client.getConfiguration().getRequestTimeout();
      if (timeoutMillis > 0) {
        // The client's request timeout, as on its typed calls (the raw builder has none).
        builder.timeout(timeoutMillis, TimeUnit.MILLISECONDS);
      }
      HttpRequest request = builder.build();
      HttpResponse<String> response =
          http.sendAsync(request, String.class).get(BIND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      code = response.code();
      body = response.body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WriteException("binding " + namespace + "/" + pod + ": interrupted", 0, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new WriteException("binding " + namespace + "/" + pod + " to " + node + ": " + e, 0, e);
    }
    if (code >= 200 && code < 300) {
      return;
    }
    if (code == 409) {
      Pod current = client.pods().inNamespace(namespace).withName(pod).get();
      if (current != null && node.equals(current.getSpec().getNodeName())) {
        return; // bound there already (a retried or repeated bind)
      }
    }
    throw new WriteException(
        "binding " + namespace + "/" + pod + " to " + node + ": HTTP " + code + " " + body,
        code,
        null);
  }

  @Override
  public void annotate(String namespace, String pod, Map<String, String> annotations) {
    try {
      client
          .pods()
          .inNamespace(namespace)
          .withName(pod)
          .edit(
              p -> {
                p.getMetadata().getAnnotations().putAll(annotations);
                return p;
              });
    } catch (KubernetesClientException e) {
      throw refused("annotating " + namespace + "/" + pod, e);
    }
  }

  @Override
  public void deleteJob(String namespace, String jobId) {
    try {
      client.pods().inNamespace(namespace).withLabel(Names.JOB_LABEL, jobId).delete();
      client.services().inNamespace(namespace).withLabel(Names.JOB_LABEL, jobId).delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw refused("deleting job " + jobId + " in " + namespace, e);
      }
    }
  }

  @Override
  public void createService(Service service) {
    try {
      client
          .services()
          .inNamespace(service.getMetadata().getNamespace())
          .resource(service)
          .create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw refused("creating service " + service.getMetadata().getName(), e);
      }
    }
  }

  @Override
  public void recordEvent(String namespace, String pod, String reason, String message) {
    Instant now = Instant.now();
    client
        .resources(io.fabric8.kubernetes.api.model.events.v1.Event.class)
        .inNamespace(namespace)
        .resource(
            new EventBuilder()
                .withNewMetadata()
                .withName(
                    pod
                        + "."
                        + Long.toHexString(now.toEpochMilli())
                        + UUID.randomUUID().toString().substring(0, 4))
                .withNamespace(namespace)
                .endMetadata()
                .withNewEventTime(now.truncatedTo(ChronoUnit.MICROS).toString())
                .withReportingController("cotenant.dev/placement")
                .withReportingInstance(Names.SCHEDULER)
                .withAction("Scheduling")
                .withReason(reason)
                .withNote(message.length() > 1024 ? message.substring(0, 1024) : message)
                .withType("Warning")
                .withNewRegarding()
                .withApiVersion("v1")
                .withKind("Pod")
                .withNamespace(namespace)
                .withName(pod)
                .endRegarding()
                .build())
        .create();
  }

  private static WriteException refused(String what, KubernetesClientException e) {
    String reason =
        e.getStatus() != null && e.getStatus().getMessage() != null
            ? e.getStatus().getMessage()
            : e.getMessage();
    return new WriteException(what + ": " + reason, e.getCode(), e);
  }
}
