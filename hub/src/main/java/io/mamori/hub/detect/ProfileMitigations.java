package io.mamori.hub.detect;

import java.util.List;

/**
 * What a security profile asks to be done when one of its alarms goes active: the action names and
 * their parameters as the profile stores them (opaque JSON, {@code {}} when none).
 */
public record ProfileMitigations(List<String> names, String parameters) {
  public static final ProfileMitigations NONE = new ProfileMitigations(List.of(), "{}");

  public ProfileMitigations {
    names = List.copyOf(names);
    parameters = parameters == null || parameters.isBlank() ? "{}" : parameters;
  }

  static ProfileMitigations of(SecurityProfile profile) {
    return new ProfileMitigations(profile.mitigations(), profile.mitigationParameters());
  }
}
