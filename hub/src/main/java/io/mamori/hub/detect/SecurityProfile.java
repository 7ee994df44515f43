package io.mamori.hub.detect;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A named set of behaviours, attached to thing groups or to all things, with the mitigations to
 * apply when one of its alarms goes active (applied elsewhere; stored and announced here).
 *
 * @param mitigations action names, e.g. {@code QUARANTINE}
 * @param mitigationParameters the actions' parameters as opaque JSON ({@code {}} when none)
 * @param targets {@code all} or {@code group/NAME}
 */
public record SecurityProfile(
    String name,
    String description,
    List<Behavior> behaviors,
    List<String> mitigations,
    String mitigationParameters,
    Set<String> targets,
    Instant createdAt,
    Instant updatedAt) {

  public static final String ALL_THINGS = "all";
  public static final String GROUP_PREFIX = "group/";

  public SecurityProfile {
    behaviors = List.copyOf(behaviors);
    mitigations = List.copyOf(mitigations);
    targets = Set.copyOf(targets);
  }

  public SecurityProfile withTargets(Set<String> newTargets, Instant at) {
    return new SecurityProfile(
        name, description, behaviors, mitigations, mitigationParameters, newTargets, createdAt, at);
  }
}
