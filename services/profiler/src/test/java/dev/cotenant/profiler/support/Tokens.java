package dev.cotenant.profiler.support;

import io.smallrye.jwt.build.Jwt;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Set;

/** Bearer tokens as {@code ./cotenant token} makes them, signed by a key pair of this test JVM. */
public final class Tokens {
  private static final KeyPair KEYS;
  private static Path publicKey;

  static {
    try {
      KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
      rsa.initialize(2048);
      KEYS = rsa.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private Tokens() {}

  public static String user() {
    return token(Set.of("user"));
  }

  public static String admin() {
    return token(Set.of("user", "admin"));
  }

  private static String token(Set<String> groups) {
    return Jwt.issuer("https://cotenant.dev/dev")
        .subject("profiler-test")
        .claim("tenant", "demo")
        .groups(groups)
        .expiresIn(3600)
        .jws()
        .sign(KEYS.getPrivate());
  }

  static synchronized Path publicKeyFile() {
    if (publicKey == null) {
      try {
        publicKey = Files.createTempFile("profiler-jwt", ".pem");
        publicKey.toFile().deleteOnExit();
        Files.writeString(
            publicKey,
            "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(KEYS.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return publicKey;
  }
}
