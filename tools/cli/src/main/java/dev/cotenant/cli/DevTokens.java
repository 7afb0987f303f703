package dev.cotenant.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

/**
 * The local run's token issuer: an RSA key pair under {@code home/keys} (made on the first {@code
 * up}, never committed: {@code .cotenant/} is ignored) and RS256 JWTs signed with it, which job-api
 * verifies with the public half.
 */
public final class DevTokens {
  /** The issuer job-api expects ({@code mp.jwt.verify.issuer}). */
  public static final String ISSUER = "https://cotenant.dev/dev";

  private static final Pattern TENANT = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private final Path keys;

  public DevTokens(Path home) {
    this.keys = home.resolve("keys");
  }

  public Path publicKey() {
    return keys.resolve("jwt-public.pem");
  }

  private Path privateKey() {
    return keys.resolve("jwt-private.pem");
  }

  /** Makes the key pair unless it exists. */
  public void ensureKeys() throws IOException {
    if (Files.exists(privateKey()) && Files.exists(publicKey())) {
      return;
    }
    KeyPair pair;
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      pair = generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot make RSA keys", e);
    }
    Files.createDirectories(keys);
    Path privateFile = privateKey();
    Files.deleteIfExists(privateFile);
    Files.createFile(
        privateFile,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(privateFile, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
    Files.writeString(publicKey(), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
  }

  /** A signed token for {@code tenant}: role {@code user}, plus {@code admin} if asked. */
  public String token(String tenant, boolean admin, Duration ttl) throws IOException {
    if (!TENANT.matcher(tenant).matches()) {
      throw new IllegalArgumentException(
          "a tenant is a DNS label: a-z, 0-9 and '-', at most 63 characters; got '" + tenant + "'");
    }
    if (!Files.exists(privateKey())) {
      throw new IllegalStateException("no signing key yet; run ./cotenant up first");
    }
    Instant now = Instant.now();
    JwtClaims claims = new JwtClaims();
    claims.setIssuer(ISSUER);
    claims.setSubject(tenant + "-dev");
    claims.setClaim("upn", tenant + "-dev");
    claims.setClaim("tenant", tenant);
    claims.setStringListClaim("groups", admin ? List.of("user", "admin") : List.of("user"));
    claims.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond()));
    claims.setExpirationTime(NumericDate.fromSeconds(now.plus(ttl).getEpochSecond()));
    claims.setJwtId(UUID.randomUUID().toString());
    JsonWebSignature jws = new JsonWebSignature();
    jws.setPayload(claims.toJson());
    jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
    jws.setHeader("typ", "JWT");
    try {
      jws.setKey(loadPrivateKey());
      return jws.getCompactSerialization();
    } catch (GeneralSecurityException | JoseException e) {
      throw new IllegalStateException("cannot sign with " + privateKey(), e);
    }
  }

  private PrivateKey loadPrivateKey() throws IOException, GeneralSecurityException {
    String pem = Files.readString(privateKey()).replaceAll("-----[A-Z ]+-----|\\s", "");
    return KeyFactory.getInstance("RSA")
        .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }
}
