package dev.cotenant.jobapi.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.jwt.build.Jwt;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CachingJwtParserTest {

  static KeyPair keys;
  static KeyPair otherKeys;

  @BeforeAll
  static void keys() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    keys = generator.generateKeyPair();
    otherKeys = generator.generateKeyPair();
  }

  static CachingJwtParser parser() {
    return new CachingJwtParser(
        new JWTAuthContextInfo((RSAPublicKey) keys.getPublic(), "https://cotenant.dev/test"));
  }

  static String token(KeyPair signer, Instant expiresAt) {
    return Jwt.issuer("https://cotenant.dev/test")
        .subject("alice")
        .groups(Set.of("user"))
        .issuedAt(Instant.now().minusSeconds(5))
        .expiresAt(expiresAt)
        .sign(signer.getPrivate());
  }

  @Test
  void aTokenVerifiedOnceIsServedFromTheCacheAfterwards() throws Exception {
    CachingJwtParser parser = parser();
    String token = token(keys, Instant.now().plusSeconds(600));
    var first = parser.parse(token);
    assertThat(first.getSubject()).isEqualTo("alice");
    assertThat(parser.parse(token)).isSameAs(first);
  }

  @Test
  void badTokensAreNeverCachedIntoAcceptance() throws Exception {
    CachingJwtParser parser = parser();
    String good = token(keys, Instant.now().plusSeconds(600));
    parser.parse(good);
    // Signed by another key: a different text, verified in full, refused every time.
    String forged = token(otherKeys, Instant.now().plusSeconds(600));
    assertThatThrownBy(() -> parser.parse(forged)).isInstanceOf(ParseException.class);
    assertThatThrownBy(() -> parser.parse(forged)).isInstanceOf(ParseException.class);
    // Expired beyond the allowed clock skew: refused.
    String expired = token(keys, Instant.now().minusSeconds(3600));
    assertThatThrownBy(() -> parser.parse(expired)).isInstanceOf(ParseException.class);
  }
}
