package dev.cotenant.jobapi.rest;

import java.util.List;

/** One page of {@code GET /jobs}, newest first; {@code next} is absent on the last page. */
public record JobPage(List<JobView> items, String next) {}
