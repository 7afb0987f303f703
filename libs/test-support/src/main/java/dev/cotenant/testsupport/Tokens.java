package dev.cotenant.testsupport;

import io.smallrye.jwt.build.Jwt;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.Set;

/**
 * Bearer tokens as {@code ./cotenant token} makes them (issuer, {@code tenant} claim, {@code
 * groups}), signed by a key pair made once per test JVM; {@link ServiceTestResource} hands the
 * service its public key. Needs {@code smallrye-jwt-build} on the test classpath (the services'
 * {@code quarkus-smallrye-jwt-build}).
 */
public final class Tokens {
  public static final String ISSUER = "https://cotenant.dev/dev";
  private static final KeyPair KEYS = generate();
  private static final KeyPair STRANGER = generate();
  private static Path publicKeyFile;

  private Tokens() {}

  public static String user(String tenant) {
    return sign(tenant, Set.of("user"), ISSUER, 3600, KEYS.getPrivate());
  }

  public static String admin(String tenant) {
    return sign(tenant, Set.of("user", "admin"), ISSUER, 3600, KEYS.getPrivate());
  }

  /** A well-formed token signed by a key the service does not trust. */
  public static String badSignature(String tenant) {
    return sign(tenant, Set.of("user"), ISSUER, 3600, STRANGER.getPrivate());
  }

  public static String expired(String tenant) {
    return sign(tenant, Set.of("user"), ISSUER, -600, KEYS.getPrivate());
  }

  public static String otherIssuer(String tenant) {
    return sign(tenant, Set.of("user"), "https://elsewhere.example", 3600, KEYS.getPrivate());
  }

  public static String withoutRole(String tenant) {
    return sign(tenant, Set.of("guest"), ISSUER, 3600, KEYS.getPrivate());
  }

  public static String withoutTenant() {
    return Jwt.issuer(ISSUER)
        .subject("nobody")
        .groups(Set.of("user"))
        .expiresIn(3600)
        .jws()
        .sign(KEYS.getPrivate());
  }

  private static String sign(
      String tenant, Set<String> groups, String issuer, long ttlSeconds, PrivateKey key) {
    long now = System.currentTimeMillis() / 1000;
    return Jwt.issuer(issuer)
        .subject(tenant + "-user")
        .claim("tenant", tenant)
        .groups(groups)
        .issuedAt(now - 3600)
        .expiresAt(now + ttlSeconds)
        .jws()
        .sign(key);
  }

  /** The public key as PEM in a temporary file, as the launcher hands it to the service. */
  public static synchronized Path publicKeyFile() {
    if (publicKeyFile == null) {
      try {
        Path file = Files.createTempFile("cotenant-jwt", ".pem");
        file.toFile().deleteOnExit();
        String pem =
            "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'})
                    .encodeToString(KEYS.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        Files.writeString(file, pem);
        publicKeyFile = file;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return publicKeyFile;
  }

  private static KeyPair generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
