package dev.cotenant.placement.rest;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.ForbiddenException;
import java.util.regex.Pattern;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** The caller, from the same tokens as job-api's: the {@code tenant} claim and the roles. */
@RequestScoped
public class Caller {
  public static final String USER = "user";
  public static final String ADMIN = "admin";
  private static final Pattern TENANT = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  private final JsonWebToken jwt;
  private final SecurityIdentity identity;

  public Caller(JsonWebToken jwt, SecurityIdentity identity) {
    this.jwt = jwt;
    this.identity = identity;
  }

  public boolean admin() {
    return identity.hasRole(ADMIN);
  }

  /** The caller's tenant; an admin token may lack one. */
  public String tenant() {
    Object claim = jwt.getClaim("tenant");
    String tenant = claim == null ? null : claim.toString().replace("\"", "");
    if (tenant == null || !TENANT.matcher(tenant).matches()) {
      if (admin()) {
        return "";
      }
      throw new ForbiddenException("the token carries no valid 'tenant' claim");
    }
    return tenant;
  }

  /** Whether the caller may see what belongs to {@code tenant}. */
  public boolean sees(String tenant) {
    return admin() || tenant().equals(tenant);
  }
}
