package dev.cotenant.jobapi.rest;

import dev.cotenant.jobapi.service.Caller;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import java.util.regex.Pattern;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** The caller of this request, from its verified JWT: the {@code tenant} claim and the roles. */
@RequestScoped
public class CallerFactory {
  public static final String TENANT_CLAIM = "tenant";
  public static final String USER = "user";
  public static final String ADMIN = "admin";
  private static final Pattern TENANT = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  private final JsonWebToken jwt;
  private final SecurityIdentity identity;

  public CallerFactory(JsonWebToken jwt, SecurityIdentity identity) {
    this.jwt = jwt;
    this.identity = identity;
  }

  public Caller caller() {
    Object claim = jwt.getClaim(TENANT_CLAIM);
    String tenant = claim == null ? null : claim.toString().replace("\"", "");
    if (tenant == null || !TENANT.matcher(tenant).matches()) {
      throw new ForbiddenException("the token carries no valid '" + TENANT_CLAIM + "' claim");
    }
    String subject = jwt.getName() == null ? tenant : jwt.getName();
    return new Caller(tenant, subject, identity.hasRole(ADMIN));
  }
}
