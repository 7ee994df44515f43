package io.mamori.hub.defender.mitigation;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The mitigation actions of AWS IoT Device Defender that fit a self-hosted hub. Alarms name them as
 * {@code QUARANTINE}; the CLI as {@code quarantine}.
 */
public enum MitigationAction {
  /** Move the thing into the quarantine group, whose policy denies every action. */
  QUARANTINE,
  /** Set the thing's ACTIVE certificates INACTIVE (reversible). */
  DEACTIVATE_CERTIFICATE,
  /** Revoke the thing's certificates (final; CRL and OCSP say so). */
  REVOKE_CERTIFICATE,
  /** Create a job for the thing, e.g. to push a fix. */
  START_JOB,
  /** Make a given document the new default version of a policy. */
  REPLACE_POLICY_VERSION;

  /** The CLI's spelling: {@code deactivate-certificate}. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * Either spelling, case-insensitive.
   *
   * @throws IllegalArgumentException listing the known actions
   */
  public static MitigationAction parse(String text) {
    String normal = text.strip().toUpperCase(Locale.ROOT).replace('-', '_');
    for (MitigationAction action : values()) {
      if (action.name().equals(normal)) {
        return action;
      }
    }
    throw new IllegalArgumentException(
        "unknown mitigation action '"
            + text
            + "'; use one of "
            + Arrays.stream(values())
                .map(MitigationAction::cliName)
                .collect(Collectors.joining(", ")));
  }
}
