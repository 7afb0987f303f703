package dev.cotenant.placement.framework;

import dev.cotenant.placement.model.JobRequest;
import java.util.List;

/** Lets a gang through once its members are reserved, or rejects it (the engine unreserves). */
public interface Permit extends Plugin {

  Status permit(CycleState cycle, JobRequest job, int wanted, List<String> reservedPods);
}
