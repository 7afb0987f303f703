package dev.cotenant.jobapi.service;

/** One invalid field of a request: its path (e.g. {@code resources.gpu.milli}) and why. */
public record Violation(String field, String message) {}
