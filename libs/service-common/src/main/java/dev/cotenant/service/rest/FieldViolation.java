package dev.cotenant.service.rest;

/**
 * One invalid part of a request, as the {@code violations} member of a problem names it: a body
 * field ({@code resources.gpu.milli}, {@code ""} for the body as a whole) or a header ({@code
 * Content-Type}).
 */
public record FieldViolation(String field, String message) {}
