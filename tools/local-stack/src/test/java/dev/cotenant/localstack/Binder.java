package dev.cotenant.localstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Binds a pod as kube-scheduler does: a Binding POSTed to {@code pods/{name}/binding}. */
public final class Binder {
  private Binder() {}

  /** The answer's status code (201 when bound). */
  public static int bind(HttpClient http, String apiUrl, String ns, String pod, String node)
      throws IOException, InterruptedException {
    String body =
        "{\"apiVersion\":\"v1\",\"kind\":\"Binding\",\"metadata\":{\"name\":\""
            + pod
            + "\"},\"target\":{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"name\":\""
            + node
            + "\"}}";
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(apiUrl + "/api/v1/namespaces/" + ns + "/pods/" + pod + "/binding"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
  }
}
