package dev.cotenant.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Not a stack test: the token command only needs a key pair on disk. */
class DevTokensTest {
  @TempDir Path home;

  @Test
  void tokensAreRs256SignedByTheGeneratedKeyAndCarryTenantAndRoles() throws Exception {
    DevTokens tokens = new DevTokens(home);
    tokens.ensureKeys();
    String token = tokens.token("demo", true, Duration.ofHours(1));

    String[] parts = token.split("\\.");
    assertThat(parts).hasSize(3);
    String pem = Files.readString(tokens.publicKey()).replaceAll("-----[A-Z ]+-----|\\s", "");
    var key =
        KeyFactory.getInstance("RSA")
            .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(pem)));
    Signature rsa = Signature.getInstance("SHA256withRSA");
    rsa.initVerify(key);
    rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
    assertThat(rsa.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();
    String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
    assertThat(claims)
        .contains("\"tenant\":\"demo\"", "\"groups\":[\"user\",\"admin\"]", DevTokens.ISSUER);
    assertThat(Files.getPosixFilePermissions(home.resolve("keys/jwt-private.pem"))).hasSize(2);
  }

  @Test
  void keysAreMadeOnceAndKept() throws Exception {
    DevTokens tokens = new DevTokens(home);
    tokens.ensureKeys();
    String first = Files.readString(tokens.publicKey());
    tokens.ensureKeys();
    assertThat(Files.readString(tokens.publicKey())).isEqualTo(first);
  }

  @Test
  void refusesTenantsThatAreNotDnsLabelsAndTokensBeforeUp() throws Exception {
    DevTokens tokens = new DevTokens(home);
    assertThatThrownBy(() -> tokens.token("demo", false, Duration.ofHours(1)))
        .hasMessageContaining("./cotenant up");
    tokens.ensureKeys();
    assertThatThrownBy(() -> tokens.token("Not A Tenant", false, Duration.ofHours(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
