package dev.cotenant.service.rest;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * Text as Cotenant's APIs accept it. Bodies are decoded as strict UTF-8: the JDK's decoder, set to
 * report, refuses overlong forms ({@code C0 80}, {@code E0 80 AF}), encoded surrogates and code
 * points past U+10FFFF, which Jackson's own byte parser lets through. JSON's {@code \\uXXXX}
 * escapes can still spell a lone surrogate, which no UTF-8 store keeps; {@link #illFormed} finds
 * those.
 */
public final class StrictText {
  private StrictText() {}

  /** A body that is not UTF-8; {@code offset} is the first byte that is not. */
  public static final class MalformedUtf8Exception extends RuntimeException {
    private final int offset;

    MalformedUtf8Exception(int offset) {
      super("the body is not valid UTF-8 (byte " + offset + ")");
      this.offset = offset;
    }

    public int offset() {
      return offset;
    }
  }

  /** A string of a body with a lone surrogate; {@code field} says where (a JSON Pointer). */
  public static final class IllFormedTextException extends RuntimeException {
    private final String field;

    public IllFormedTextException(String field) {
      super("holds a lone surrogate (\\uD800-\\uDFFF), which is not text");
      this.field = field;
    }

    public String field() {
      return field;
    }
  }

  /** The text of {@code body}, or {@link MalformedUtf8Exception} at its first bad byte. */
  public static String decodeUtf8(byte[] body) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(body);
    CharBuffer out = CharBuffer.allocate(body.length);
    var result = decoder.decode(in, out, true);
    if (result.isError()) {
      throw new MalformedUtf8Exception(in.position());
    }
    result = decoder.flush(out);
    if (result.isError()) {
      throw new MalformedUtf8Exception(in.position());
    }
    return out.flip().toString();
  }

  /** Whether {@code s} is well-formed UTF-16: every surrogate in a high-low pair. */
  public static boolean wellFormed(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  /** {@code s} with each lone surrogate replaced by U+FFFD, so that it can be shown back. */
  public static String printable(String s) {
    if (wellFormed(s)) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        out.append(c).append(s.charAt(++i));
      } else {
        out.append(Character.isSurrogate(c) ? '\uFFFD' : c);
      }
    }
    return out.toString();
  }

  /** The first C0 control character of {@code s} other than TAB, LF and CR, or -1. */
  public static int firstControl(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
        return i;
      }
    }
    return -1;
  }

  /**
   * The JSON Pointer (RFC 6901) of the first member name or string value in {@code tree} with a
   * lone surrogate; lone surrogates in the pointer itself are shown as U+FFFD.
   */
  public static Optional<String> illFormed(JsonNode tree) {
    return illFormed(tree, "");
  }

  private static Optional<String> illFormed(JsonNode node, String pointer) {
    if (node.isTextual()) {
      return wellFormed(node.textValue()) ? Optional.empty() : Optional.of(pointer);
    }
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        Optional<String> found = illFormed(node.get(i), pointer + "/" + i);
        if (found.isPresent()) {
          return found;
        }
      }
    } else if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> member = it.next();
        String child =
            pointer + "/" + printable(member.getKey()).replace("~", "~0").replace("/", "~1");
        if (!wellFormed(member.getKey())) {
          return Optional.of(child);
        }
        Optional<String> found = illFormed(member.getValue(), child);
        if (found.isPresent()) {
          return found;
        }
      }
    }
    return Optional.empty();
  }
}
