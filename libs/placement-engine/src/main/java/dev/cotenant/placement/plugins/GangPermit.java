package dev.cotenant.placement.plugins;

import dev.cotenant.placement.framework.CycleState;
import dev.cotenant.placement.framework.Permit;
import dev.cotenant.placement.framework.Status;
import dev.cotenant.placement.model.JobRequest;
import java.util.List;

/**
 * All replicas or none: a gang that could not reserve every member is rejected, and the engine
 * unreserves the members that did (a partial gang would hold resources and never run).
 */
public final class GangPermit implements Permit {

  public static final String GANG_INCOMPLETE = "GangIncomplete";

  @Override
  public String name() {
    return PluginNames.GANG_PERMIT;
  }

  @Override
  public Status permit(CycleState cycle, JobRequest job, int wanted, List<String> reservedPods) {
    return reservedPods.size() == wanted
        ? Status.SUCCESS
        : Status.unschedulable(
            GANG_INCOMPLETE,
            "job " + job.jobId() + " reserved " + reservedPods.size() + " of " + wanted + " pods");
  }
}
