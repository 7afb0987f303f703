package dev.cotenant.profiler.rest;

import dev.cotenant.interference.AppInfo;
import dev.cotenant.interference.learn.LearnedModel;
import dev.cotenant.profiler.config.ProfilerConfig;
import dev.cotenant.profiler.ingest.SoloStats;
import dev.cotenant.profiler.mapping.ProfileMapper;
import dev.cotenant.profiler.service.ProfileService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeSet;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** What the profiler knows per app. */
@Path(ProfileResource.PATH)
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.USER, Roles.ADMIN})
@Tag(name = "profiles")
@SecurityRequirement(name = Roles.SCHEME)
public class ProfileResource {
  public static final String PATH = "/api/v1/profiles";

  private final ProfileService service;
  private final ProfilerConfig config;

  public ProfileResource(ProfileService service, ProfilerConfig config) {
    this.service = service;
    this.config = config;
  }

  @GET
  @Operation(summary = "Every known app: runs learned from, solo time, telemetry features")
  public List<ProfileView> all() {
    LearnedModel model = service.model();
    return new TreeSet<>(model.apps()).stream().map(app -> view(model, app, null)).toList();
  }

  @GET
  @Path("{app}")
  @Operation(summary = "One app, with its row of the interference matrix")
  @APIResponse(responseCode = "404", description = "Unknown app")
  public ProfileView one(@PathParam("app") String app) {
    LearnedModel model = service.model();
    if (!model.apps().contains(app)) {
      throw new UnknownAppException(app);
    }
    return view(model, app, ProfileMapper.pairs(model.toMatrix(config.device()), app));
  }

  private ProfileView view(
      LearnedModel model, String app, List<dev.cotenant.events.AppProfile.PairEstimate> pairs) {
    Optional<SoloStats> solo = service.solo(app);
    Optional<AppInfo> info = model.profile(app);
    ProfileView.Telemetry telemetry =
        info.isEmpty() && solo.isEmpty()
            ? null
            : new ProfileView.Telemetry(
                solo.map(SoloStats::samples).orElse(0L),
                boxed(info.map(AppInfo::smActivity)),
                boxed(info.map(AppInfo::dramActivity)),
                boxed(info.map(AppInfo::gpuUtilPercent)),
                boxed(info.map(AppInfo::gpuMemoryMiB)));
    OptionalDouble solos = model.soloSeconds(app);
    return new ProfileView(
        app,
        model.observations(app),
        solos.isPresent() ? solos.getAsDouble() : null,
        telemetry,
        pairs);
  }

  private static Double boxed(Optional<OptionalDouble> v) {
    return v.isPresent() && v.get().isPresent() ? v.get().getAsDouble() : null;
  }
}
