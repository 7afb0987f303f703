package dev.cotenant.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.ByteString;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * A field-selected watch over fabric8's unselected one: the CRUD dispatcher watches everything the
 * path and label selector name, and this listener passes on only what the field selector admits,
 * turning events the way an API server's watch cache does: an object that starts to match is {@code
 * ADDED}, one that stops matching is {@code DELETED} (with its last matching state and the new
 * resource version), changes to objects outside the selection are not sent.
 */
final class SelectingWatch extends WebSocketListener {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final WebSocketListener watch;
  private final FieldSelector selector;

  /** The objects in the selection as last sent, by uid (or namespace/name without one). */
  private final Map<String, JsonNode> selected = new HashMap<>();

  SelectingWatch(WebSocketListener watch, FieldSelector selector) {
    this.watch = watch;
    this.selector = selector;
  }

  @Override
  public void onBeforeAccept(WebSocket webSocket, Response response) {
    watch.onBeforeAccept(webSocket, response);
  }

  @Override
  public void onOpen(WebSocket webSocket, Response response) {
    // fabric8's listener sends every event through the socket it is handed here.
    watch.onOpen(new Selecting(webSocket), response);
  }

  @Override
  public void onMessage(WebSocket webSocket, String text) {
    watch.onMessage(webSocket, text);
  }

  @Override
  public void onMessage(WebSocket webSocket, ByteString bytes) {
    watch.onMessage(webSocket, bytes);
  }

  @Override
  public void onMessage(WebSocket webSocket, byte[] bytes) {
    watch.onMessage(webSocket, bytes);
  }

  @Override
  public void onClosing(WebSocket webSocket, int code, String reason) {
    watch.onClosing(webSocket, code, reason);
  }

  @Override
  public void onClosed(WebSocket webSocket, int code, String reason) {
    watch.onClosed(webSocket, code, reason);
  }

  @Override
  public void onFailure(WebSocket webSocket, Throwable t, Response response) {
    watch.onFailure(webSocket, t, response);
  }

  /**
   * The event to send for {@code event} (a WatchEvent's JSON), or null to send none. Synchronized:
   * fabric8 sends from one thread per watch, but the selection must never see two at once.
   */
  synchronized String select(String event) {
    ObjectNode parsed;
    try {
      parsed = (ObjectNode) JSON.readTree(event);
    } catch (IOException | ClassCastException e) {
      return event; // not a watch event: leave it to the client
    }
    String type = parsed.path("type").asText();
    JsonNode object = parsed.path("object");
    if (!object.isObject()
        || !(type.equals("ADDED") || type.equals("MODIFIED") || type.equals("DELETED"))) {
      return event; // ERROR, BOOKMARK
    }
    String key = key(object);
    boolean was = selected.containsKey(key);
    if (type.equals("DELETED")) {
      return selected.remove(key) != null ? event : null;
    }
    if (selector.matches(object)) {
      selected.put(key, object);
      if (type.equals("MODIFIED") && !was) {
        parsed.put("type", "ADDED");
        return parsed.toString();
      }
      if (type.equals("ADDED") && was) {
        parsed.put("type", "MODIFIED");
        return parsed.toString();
      }
      return event;
    }
    JsonNode last = selected.remove(key);
    if (last == null) {
      return null;
    }
    ObjectNode gone = last.deepCopy();
    String resourceVersion = object.path("metadata").path("resourceVersion").asText("");
    if (!resourceVersion.isEmpty()) {
      gone.with("metadata").put("resourceVersion", resourceVersion);
    }
    ObjectNode deleted = JSON.createObjectNode();
    deleted.put("type", "DELETED");
    deleted.set("object", gone);
    return deleted.toString();
  }

  private static String key(JsonNode object) {
    JsonNode metadata = object.path("metadata");
    String uid = metadata.path("uid").asText("");
    return uid.isEmpty()
        ? metadata.path("namespace").asText("") + "/" + metadata.path("name").asText("")
        : uid;
  }

  /** The client's socket, through which only selected events pass. */
  private final class Selecting implements WebSocket {
    private final WebSocket socket;

    Selecting(WebSocket socket) {
      this.socket = socket;
    }

    @Override
    public RecordedRequest request() {
      return socket.request();
    }

    @Override
    public boolean send(String text) {
      String selectedEvent = select(text);
      return selectedEvent == null || socket.send(selectedEvent);
    }

    @Override
    public boolean send(byte[] bytes) {
      return socket.send(bytes);
    }

    @Override
    public boolean close(int code, String reason) {
      return socket.close(code, reason);
    }
  }
}
