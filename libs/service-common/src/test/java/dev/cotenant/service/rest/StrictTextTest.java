package dev.cotenant.service.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Plain JUnit: StrictText is pure, so every byte and escape case is checked without a server. */
class StrictTextTest {
  private static final HexFormat HEX = HexFormat.of();
  private final ObjectMapper json = new ObjectMapper();

  private static byte[] bytes(String prefix, String hex) {
    byte[] head = prefix.getBytes(StandardCharsets.US_ASCII);
    byte[] tail = HEX.parseHex(hex);
    byte[] all = Arrays.copyOf(head, head.length + tail.length);
    System.arraycopy(tail, 0, all, head.length, tail.length);
    return all;
  }

  @Test
  void wellFormedUtf8DecodesToItsText() {
    String text = "a/é€😀\u0000\u007f\uFFFD";
    assertThat(StrictText.decodeUtf8(text.getBytes(StandardCharsets.UTF_8))).isEqualTo(text);
    assertThat(StrictText.decodeUtf8(new byte[0])).isEmpty();
    // the highest code point is still text
    assertThat(StrictText.decodeUtf8(HEX.parseHex("f48fbfbf"))).isEqualTo("\uDBFF\uDFFF");
  }

  @Test
  void everyIllFormedSequenceIsRefusedAtItsFirstByte() {
    String[] bad = {
      "c080", // overlong NUL
      "c1bf", // overlong DEL
      "e080af", // overlong '/'
      "f08080af", // overlong '/', four bytes
      "eda080", // an encoded high surrogate
      "edbfbf", // an encoded low surrogate
      "f4908080", // past U+10FFFF
      "f5808080", // a lead byte that never starts anything
      "ff",
      "fe",
      "80", // a continuation byte alone
      "c3", // truncated at the end
      "e282", // truncated at the end
      "c341", // a lead byte followed by ASCII
    };
    for (String hex : bad) {
      assertThatThrownBy(() -> StrictText.decodeUtf8(bytes("ab", hex)))
          .as(hex)
          .isInstanceOfSatisfying(
              StrictText.MalformedUtf8Exception.class,
              e -> assertThat(e.offset()).as(hex).isEqualTo(2))
          .hasMessageContaining("byte 2");
    }
  }

  /**
   * Over random bytes biased to the multi-byte range: the strict decoder accepts exactly what the
   * JDK's UTF-8 encoder gives back unchanged (a replaced byte never round-trips).
   */
  @Test
  void acceptsExactlyTheBytesThatRoundTrip() {
    Random random = new Random(16);
    int accepted = 0;
    for (int i = 0; i < 20_000; i++) {
      byte[] input = new byte[1 + random.nextInt(8)];
      for (int j = 0; j < input.length; j++) {
        input[j] = (byte) (random.nextBoolean() ? 0x80 + random.nextInt(0x80) : random.nextInt());
      }
      String lenient = new String(input, StandardCharsets.UTF_8);
      boolean valid = Arrays.equals(lenient.getBytes(StandardCharsets.UTF_8), input);
      Optional<String> strict;
      try {
        strict = Optional.of(StrictText.decodeUtf8(input));
      } catch (StrictText.MalformedUtf8Exception e) {
        strict = Optional.empty();
      }
      assertThat(strict.isPresent()).as(HEX.formatHex(input)).isEqualTo(valid);
      strict.ifPresent(s -> assertThat(s).isEqualTo(lenient));
      accepted += valid ? 1 : 0;
    }
    // both outcomes are exercised, not only one
    assertThat(accepted).isBetween(500, 19_500);
  }

  @Test
  void onlySurrogatesInPairsAreWellFormed() {
    assertThat(StrictText.wellFormed("")).isTrue();
    assertThat(StrictText.wellFormed("a😀b")).isTrue();
    assertThat(StrictText.wellFormed("\uD800")).isFalse();
    assertThat(StrictText.wellFormed("x\uDC00")).isFalse();
    assertThat(StrictText.wellFormed("\uDE00\uD83D")).isFalse(); // the pair reversed
    assertThat(StrictText.wellFormed("😀\uD83D")).isFalse(); // a high one at the end
  }

  @Test
  void printableReplacesOnlyLoneSurrogates() {
    String fine = "a😀";
    assertThat(StrictText.printable(fine)).isSameAs(fine);
    assertThat(StrictText.printable("x\uD800y😀\uDC00")).isEqualTo("x\uFFFDy😀\uFFFD");
  }

  @Test
  void controlsAreC0ButTabLineFeedAndReturn() {
    assertThat(StrictText.firstControl("plain text")).isEqualTo(-1);
    assertThat(StrictText.firstControl("a\tb\nc\r")).isEqualTo(-1);
    // DEL and the C1 range are not C0: the container runtime takes them
    assertThat(StrictText.firstControl("\u007f\u0085")).isEqualTo(-1);
    assertThat(StrictText.firstControl("ab\u0000")).isEqualTo(2);
    assertThat(StrictText.firstControl("\u001fx\u0001")).isZero();
    assertThat(StrictText.firstControl("x\u001b[0m")).isEqualTo(1);
  }

  @Test
  void illFormedNamesTheFirstLoneSurrogateAsAJsonPointer() throws Exception {
    assertThat(StrictText.illFormed(json.readTree("{\"a\":[\"x\",{\"b\":\"\\ud83d\\ude00\"}]}")))
        .isEmpty();
    assertThat(StrictText.illFormed(json.readTree("{\"a\":[\"x\",{\"b\":\"\\ud800\"}]}")))
        .contains("/a/1/b");
    // in document order: the first one is named
    assertThat(StrictText.illFormed(json.readTree("{\"p\":\"\\udc00\",\"q\":\"\\ud800\"}")))
        .contains("/p");
    // '/' and '~' in a member name are escaped as RFC 6901 says
    assertThat(StrictText.illFormed(json.readTree("{\"a/b~c\":\"\\ud800\"}"))).contains("/a~1b~0c");
    // a lone surrogate in a member name: named, shown as U+FFFD
    assertThat(StrictText.illFormed(json.readTree("{\"env\":{\"k\\ud800\":\"v\"}}")))
        .contains("/env/k\uFFFD");
    // the root itself
    assertThat(StrictText.illFormed(json.readTree("\"\\udfff\""))).contains("");
    // numbers, booleans and nulls hold no text
    assertThat(StrictText.illFormed(json.readTree("[1,true,null,{\"n\":2.5}]"))).isEmpty();
  }
}
