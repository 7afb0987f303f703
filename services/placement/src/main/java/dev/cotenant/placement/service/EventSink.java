package dev.cotenant.placement.service;

import dev.cotenant.events.JobEvent;
import dev.cotenant.service.tracing.TraceHeaders;

/** Where the scheduler's events go ({@code cotenant.job-events} in the service). */
@FunctionalInterface
public interface EventSink {
  void publish(JobEvent event, TraceHeaders trace);
}
