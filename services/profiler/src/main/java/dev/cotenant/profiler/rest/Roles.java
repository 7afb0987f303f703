package dev.cotenant.profiler.rest;

import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/** The roles of the {@code groups} claim (as job-api's tokens carry them) and the auth scheme. */
@SecurityScheme(
    securitySchemeName = Roles.SCHEME,
    type = SecuritySchemeType.HTTP,
    scheme = "bearer",
    bearerFormat = "JWT")
public final class Roles {
  public static final String USER = "user";
  public static final String ADMIN = "admin";
  public static final String SCHEME = "jwt";

  private Roles() {}
}
