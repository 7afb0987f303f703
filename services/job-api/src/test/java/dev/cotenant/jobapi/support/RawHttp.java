package dev.cotenant.jobapi.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.RestAssured;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 by hand over a socket, for what no client library sends: no Host, odd framing, bodies
 * that trickle or stop half way. Reads one response (Content-Length or until the server closes).
 */
public final class RawHttp implements AutoCloseable {
  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;

  /** One response; {@code closed} says whether the server closed the connection after it. */
  public record Reply(int status, Map<String, String> headers, String body, boolean closed) {
    public String header(String name) {
      return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
    }

    public JsonNode json() {
      try {
        return Jobs.JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }
  }

  private RawHttp(int port, int timeoutMillis) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(timeoutMillis);
    out = socket.getOutputStream();
    in = socket.getInputStream();
  }

  /** A connection to the application under test. */
  public static RawHttp open(int timeoutMillis) {
    try {
      return new RawHttp(RestAssured.port, timeoutMillis);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends one whole request and reads its response. */
  public static Reply exchange(byte[] request) {
    try (RawHttp http = open(15_000)) {
      http.send(request);
      return http.read();
    }
  }

  public static Reply exchange(String head, byte[] body) {
    return exchange(concat(head.getBytes(StandardCharsets.ISO_8859_1), body));
  }

  public static byte[] concat(byte[] a, byte[] b) {
    byte[] all = new byte[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  /** A POST of {@code body} with the usual headers plus {@code extra} (CRLF-terminated lines). */
  public static String post(String path, String token, int length, String extra) {
    return "POST "
        + path
        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
        + token
        + "\r\nContent-Type: application/json\r\n"
        + (length >= 0 ? "Content-Length: " + length + "\r\n" : "")
        + extra
        + "\r\n";
  }

  public void send(byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Reply read() {
    try {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      while (!endsWithBlankLine(head)) {
        int b = in.read();
        if (b < 0) {
          throw new AssertionError("closed before a response; got: " + head);
        }
        head.write(b);
      }
      String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
      int status = Integer.parseInt(lines[0].split(" ")[1]);
      Map<String, String> headers = new LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        if (colon > 0) {
          headers.put(
              lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
              lines[i].substring(colon + 1).trim());
        }
      }
      byte[] body;
      String length = headers.get("content-length");
      if (length != null) {
        body = in.readNBytes(Integer.parseInt(length));
      } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
        body = readChunked();
      } else {
        body = in.readAllBytes();
      }
      return new Reply(status, headers, new String(body, StandardCharsets.UTF_8), closedByPeer());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether response bytes are waiting (the server answered before the request was whole). */
  public boolean answered() {
    try {
      return in.available() > 0;
    } catch (IOException e) {
      return true;
    }
  }

  /**
   * Whether the server closes the connection within a moment (anything it still sends, such as its
   * answer to the rest of the bytes, is read and dropped).
   */
  public boolean closedByPeer() {
    try {
      int previous = socket.getSoTimeout();
      socket.setSoTimeout(2_000);
      try {
        while (in.read() >= 0) {
          // drain
        }
        return true;
      } finally {
        socket.setSoTimeout(previous);
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset by the peer
    }
  }

  private byte[] readChunked() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      StringBuilder size = new StringBuilder();
      int b;
      while ((b = in.read()) != '\n') {
        if (b < 0) {
          return body.toByteArray();
        }
        size.append((char) b);
      }
      int n = Integer.parseInt(size.toString().trim().split(";")[0], 16);
      if (n == 0) {
        in.readNBytes(2);
        return body.toByteArray();
      }
      body.write(in.readNBytes(n));
      in.readNBytes(2);
    }
  }

  private static boolean endsWithBlankLine(ByteArrayOutputStream head) {
    byte[] b = head.toByteArray();
    int n = b.length;
    return n >= 4 && b[n - 4] == '\r' && b[n - 3] == '\n' && b[n - 2] == '\r' && b[n - 1] == '\n';
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing
    }
  }
}
