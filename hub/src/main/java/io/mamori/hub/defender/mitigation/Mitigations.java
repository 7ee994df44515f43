package io.mamori.hub.defender.mitigation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mamori.hub.defender.mitigation.MitigationFailure.Kind;
import io.mamori.hub.events.EventPublisher;
import io.mamori.hub.events.HubEvent;
import io.mamori.hub.groups.ThingGroupService;
import io.mamori.hub.groups.ThingGroups;
import io.mamori.hub.jobs.JobException;
import io.mamori.hub.jobs.JobService;
import io.mamori.hub.jobs.JobTargets;
import io.mamori.hub.jobs.TargetSelection;
import io.mamori.hub.pki.RevocationReason;
import io.mamori.hub.registry.CertificateService;
import io.mamori.hub.registry.CertificateStatus;
import io.mamori.hub.registry.PolicyService;
import io.mamori.hub.registry.RegistryException;
import io.mamori.hub.registry.ThingService;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Applies Device Defender mitigations to a thing through the registry, group and job services, so
 * the usual enforcement cuts live connections at once. Every action is idempotent (applying it
 * again reports {@code alreadyApplied}) and every outcome, failures included, is a {@code
 * defender.mitigation.applied} / {@code defender.mitigation.failed} event, so it is in the audit
 * log.
 */
public final class Mitigations {
  /** The group quarantined things are moved into; created on first use. */
  public static final String QUARANTINE_GROUP = "defender-quarantine";

  /** Attached to the quarantine group: an explicit Deny of every action wins over any Allow. */
  public static final String QUARANTINE_POLICY = "defender-quarantine-deny-all";

  static final String DENY_ALL =
      "{\"Version\":\"2012-10-17\",\"Statement\":"
          + "[{\"Effect\":\"Deny\",\"Action\":\"iot:*\",\"Resource\":\"*\"}]}";

  private final ThingService things;
  private final CertificateService certificates;
  private final PolicyService policies;
  private final ThingGroupService groups;
  private final ThingGroups membership;
  private final JobService jobs;
  private final EventPublisher events;
  private final Clock clock;
  private final ObjectMapper json = new ObjectMapper();

  public Mitigations(
      ThingService things,
      CertificateService certificates,
      PolicyService policies,
      ThingGroupService groups,
      ThingGroups membership,
      JobService jobs,
      EventPublisher events,
      Clock clock) {
    this.things = things;
    this.certificates = certificates;
    this.policies = policies;
    this.groups = groups;
    this.membership = membership;
    this.jobs = jobs;
    this.events = events;
    this.clock = clock;
  }

  /**
   * Applies {@code action} to {@code thing}; serialized, as quarantine creates shared state on
   * demand and mitigations are rare.
   *
   * @param alarmId the alarm that asked for it, when automatic
   * @throws MitigationFailure with the reason, after recording it
   */
  public synchronized MitigationResult apply(
      String thing,
      MitigationAction action,
      MitigationParams params,
      String actor,
      Optional<String> alarmId) {
    try {
      things.get(thing);
      MitigationResult result =
          switch (action) {
            case QUARANTINE -> quarantine(thing, actor);
            case DEACTIVATE_CERTIFICATE -> deactivate(thing, actor, alarmId);
            case REVOKE_CERTIFICATE -> revoke(thing, actor, alarmId);
            case START_JOB -> startJob(thing, params, actor, alarmId);
            case REPLACE_POLICY_VERSION -> replacePolicyVersion(thing, params, actor);
          };
      var details = details(action, alarmId);
      details.put("alreadyApplied", Boolean.toString(result.alreadyApplied()));
      details.put("detail", result.detail());
      events.publish(
          new HubEvent(
              "defender.mitigation.applied",
              clock.instant(),
              actor,
              thing,
              HubEvent.SUCCESS,
              "",
              details));
      return result;
    } catch (MitigationFailure e) {
      failed(thing, action, actor, alarmId, e.getMessage());
      throw e;
    } catch (RegistryException e) {
      failed(thing, action, actor, alarmId, e.getMessage());
      throw new MitigationFailure(kind(e.kind()), e.getMessage());
    } catch (JobException e) {
      failed(thing, action, actor, alarmId, e.getMessage());
      throw new MitigationFailure(Kind.valueOf(e.kind().name()), e.getMessage());
    } catch (RuntimeException e) {
      failed(thing, action, actor, alarmId, e.toString());
      throw e;
    }
  }

  private MitigationResult quarantine(String thing, String actor) {
    ensureQuarantineGroup(actor);
    if (membership.groupsOf(thing).contains(QUARANTINE_GROUP)) {
      return new MitigationResult(
          MitigationAction.QUARANTINE, thing, true, "already in group " + QUARANTINE_GROUP);
    }
    // ThingGroupService tells the enforcer: live permissions are re-evaluated and, as the deny-all
    // policy refuses iot:Connect, the connection is closed at once.
    groups.addThing(QUARANTINE_GROUP, thing, actor);
    return new MitigationResult(
        MitigationAction.QUARANTINE,
        thing,
        false,
        "moved into group " + QUARANTINE_GROUP + " (policy " + QUARANTINE_POLICY + " denies all)");
  }

  private void ensureQuarantineGroup(String actor) {
    if (policies.list().stream().noneMatch(p -> p.name().equals(QUARANTINE_POLICY))) {
      policies.create(QUARANTINE_POLICY, DENY_ALL, actor);
    }
    if (groups.list().stream().noneMatch(g -> g.name().equals(QUARANTINE_GROUP))) {
      groups.createStatic(
          QUARANTINE_GROUP,
          Optional.empty(),
          Optional.of("Device Defender quarantine: members may do nothing"),
          Map.of(),
          actor);
    }
    if (!groups.policiesOf(QUARANTINE_GROUP).contains(QUARANTINE_POLICY)) {
      groups.attachPolicy(QUARANTINE_GROUP, QUARANTINE_POLICY, actor);
    }
  }

  private MitigationResult deactivate(String thing, String actor, Optional<String> alarmId) {
    List<String> changed = new ArrayList<>();
    for (String id : certificatesOf(thing)) {
      if (certificates.get(id).status() == CertificateStatus.ACTIVE) {
        certificates.setStatus(id, CertificateStatus.INACTIVE, actor, because(alarmId));
        changed.add(id);
      }
    }
    return new MitigationResult(
        MitigationAction.DEACTIVATE_CERTIFICATE,
        thing,
        changed.isEmpty(),
        changed.isEmpty()
            ? "no ACTIVE certificate left"
            : "deactivated certificate(s) " + String.join(",", changed));
  }

  private MitigationResult revoke(String thing, String actor, Optional<String> alarmId) {
    List<String> changed = new ArrayList<>();
    for (String id : certificatesOf(thing)) {
      if (certificates.get(id).status() != CertificateStatus.REVOKED) {
        // RFC 5280 §5.3.1 privilegeWithdrawn: the hub withdrew it; a key compromise is not known.
        certificates.revoke(id, RevocationReason.PRIVILEGE_WITHDRAWN, actor, because(alarmId));
        changed.add(id);
      }
    }
    return new MitigationResult(
        MitigationAction.REVOKE_CERTIFICATE,
        thing,
        changed.isEmpty(),
        changed.isEmpty()
            ? "every certificate already revoked"
            : "revoked certificate(s) " + String.join(",", changed));
  }

  private List<String> certificatesOf(String thing) {
    List<String> ids = things.certificatesOf(thing);
    if (ids.isEmpty()) {
      throw new MitigationFailure(Kind.CONFLICT, "thing " + thing + " has no certificate");
    }
    return ids;
  }

  private MitigationResult startJob(
      String thing, MitigationParams params, String actor, Optional<String> alarmId) {
    ObjectNode document =
        params
            .jobDocument()
            .orElseThrow(
                () ->
                    new MitigationFailure(
                        Kind.INVALID,
                        params.jobTemplate().isPresent()
                            ? "job templates are not supported by this hub; give the job"
                                + " 'document' itself"
                            : "start-job needs a job 'document' (a JSON object)"));
    // Same thing, alarm and document: same job id, so a repeated alarm does not start it twice.
    String jobId =
        params
            .jobId()
            .orElseGet(
                () ->
                    "defender-"
                        + digest(thing + "\n" + alarmId.orElse("") + "\n" + document)
                            .substring(0, 24));
    if (jobExists(jobId)) {
      return new MitigationResult(
          MitigationAction.START_JOB, thing, true, "job " + jobId + " already exists");
    }
    jobs.create(
        jobId,
        "Device Defender mitigation" + alarmId.map(a -> " for alarm " + a).orElse(""),
        document,
        new JobTargets(Set.of(thing), Set.of()),
        TargetSelection.SNAPSHOT,
        List.of(),
        Optional.empty(),
        actor);
    return new MitigationResult(MitigationAction.START_JOB, thing, false, "created job " + jobId);
  }

  private boolean jobExists(String jobId) {
    try {
      jobs.describe(jobId);
      return true;
    } catch (JobException e) {
      if (e.kind() == JobException.Kind.NOT_FOUND) {
        return false;
      }
      throw e;
    }
  }

  private MitigationResult replacePolicyVersion(
      String thing, MitigationParams params, String actor) {
    String name =
        params
            .policyName()
            .orElseThrow(
                () ->
                    new MitigationFailure(
                        Kind.INVALID, "replace-policy-version needs 'policyName'"));
    String document =
        params
            .policyDocument()
            .orElseThrow(
                () ->
                    new MitigationFailure(
                        Kind.INVALID, "replace-policy-version needs 'policyDocument'"));
    var current = policies.get(name);
    if (sameJson(current.document(), document)) {
      return new MitigationResult(
          MitigationAction.REPLACE_POLICY_VERSION,
          thing,
          true,
          "policy " + name + " version " + current.defaultVersionId() + " already has it");
    }
    var updated = policies.update(name, document, actor);
    return new MitigationResult(
        MitigationAction.REPLACE_POLICY_VERSION,
        thing,
        false,
        "policy " + name + " now at default version " + updated.defaultVersionId());
  }

  private boolean sameJson(String a, String b) {
    try {
      JsonNode left = json.readTree(a);
      JsonNode right = json.readTree(b);
      return left.equals(right);
    } catch (java.io.IOException e) {
      return false; // an unparsable document is not the same; the update refuses it with a reason
    }
  }

  private void failed(
      String thing, MitigationAction action, String actor, Optional<String> alarmId, String why) {
    events.publish(
        new HubEvent(
            "defender.mitigation.failed",
            clock.instant(),
            actor,
            thing,
            HubEvent.FAILURE,
            why,
            details(action, alarmId)));
  }

  private static Map<String, String> details(MitigationAction action, Optional<String> alarmId) {
    var details = new LinkedHashMap<String, String>();
    details.put("action", action.name());
    alarmId.ifPresent(a -> details.put("alarmId", a));
    return details;
  }

  private static String because(Optional<String> alarmId) {
    return "Device Defender mitigation" + alarmId.map(a -> " for alarm " + a).orElse("");
  }

  private static Kind kind(RegistryException.Kind kind) {
    return switch (kind) {
      case INVALID -> Kind.INVALID;
      case NOT_FOUND -> Kind.NOT_FOUND;
      default -> Kind.CONFLICT;
    };
  }

  private static String digest(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
