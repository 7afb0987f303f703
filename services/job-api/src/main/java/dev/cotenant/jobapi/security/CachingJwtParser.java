package dev.cotenant.jobapi.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.time.Duration;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * smallrye-jwt verifies every request's token from scratch (parse, RS256 signature, claims): about
 * a seventh of job-api's CPU under load, for the same few tokens a client sends again and again.
 * This parser remembers a verified token for at most a minute, never past its expiry, keyed by the
 * whole token text: a changed byte is a different key and is verified in full. Bounded in size, so
 * a flood of distinct tokens costs verification, not memory.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class CachingJwtParser extends DefaultJWTParser {

  static final Duration KEEP = Duration.ofSeconds(60);
  static final long MAX_TOKENS = 10_000;

  private final Cache<String, JsonWebToken> verified =
      Caffeine.newBuilder().maximumSize(MAX_TOKENS).expireAfterWrite(KEEP).build();

  /** For CDI: the verification settings are injected into the parent as for the default. */
  public CachingJwtParser() {}

  /** With explicit verification settings (tests). */
  CachingJwtParser(JWTAuthContextInfo info) {
    super(info);
  }

  @Override
  public JsonWebToken parse(String token) throws ParseException {
    JsonWebToken known = verified.getIfPresent(token);
    if (known != null && !expired(known)) {
      return known;
    }
    JsonWebToken fresh = super.parse(token);
    verified.put(token, fresh);
    return fresh;
  }

  private static boolean expired(JsonWebToken jwt) {
    long exp = jwt.getExpirationTime();
    return exp > 0 && exp * 1000 <= System.currentTimeMillis();
  }
}
