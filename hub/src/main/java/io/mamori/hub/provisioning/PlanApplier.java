package io.mamori.hub.provisioning;

import io.mamori.hub.groups.ThingGroupService;
import io.mamori.hub.registry.CertificateService;
import io.mamori.hub.registry.CertificateStatus;
import io.mamori.hub.registry.PolicyService;
import io.mamori.hub.registry.RegistryException;
import io.mamori.hub.registry.Thing;
import io.mamori.hub.registry.ThingService;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * Applies an evaluated template to the registry for one certificate, in the order of reference §1.4
 * (thing, policies, attachments, then the certificate's status). Shared by fleet provisioning and
 * JITP; the caller runs it inside its transaction, so a failure leaves nothing behind.
 */
public final class PlanApplier {
  private final ThingService things;
  private final CertificateService certificates;
  private final PolicyService policies;
  private final ThingGroupService groups;

  public PlanApplier(
      ThingService things,
      CertificateService certificates,
      PolicyService policies,
      ThingGroupService groups) {
    this.things = things;
    this.certificates = certificates;
    this.policies = policies;
    this.groups = groups;
  }

  /**
   * Makes the registry match {@code plan} for {@code certificateId}; must run in a transaction.
   *
   * @return the thing the certificate was attached to, if the template has one
   */
  Optional<String> apply(ProvisioningPlan plan, String certificateId, String actor, String reason) {
    Optional<String> thingName = plan.thing().map(t -> thing(t, actor));
    for (ProvisioningPlan.PolicyPlan policy : plan.policies()) {
      policies.attach(policyName(policy, actor), certificateId, actor);
    }
    thingName.ifPresent(name -> certificates.attachThing(certificateId, name, actor));
    certificates.setStatus(
        certificateId,
        plan.certificateActive() ? CertificateStatus.ACTIVE : CertificateStatus.INACTIVE,
        actor,
        reason);
    return thingName;
  }

  private String thing(ProvisioningPlan.ThingPlan plan, String actor) {
    Optional<Thing> existing;
    try {
      existing = Optional.of(things.get(plan.name()));
    } catch (RegistryException e) {
      existing = Optional.empty();
    }
    if (existing.isEmpty()) {
      things.create(plan.name(), plan.attributes(), plan.thingType(), actor);
      addToGroups(plan.groups(), plan.name(), actor);
      return plan.name();
    }
    Thing current = existing.get();
    switch (plan.override("AttributePayload")) {
      case FAIL -> throw conflict(plan.name(), "AttributePayload");
      case REPLACE -> {
        var replacement = new LinkedHashMap<String, String>(plan.attributes());
        // An empty value removes a key: every current key the template does not name goes.
        current.attributes().keySet().stream()
            .filter(k -> !plan.attributes().containsKey(k))
            .forEach(k -> replacement.put(k, ""));
        things.updateAttributes(plan.name(), replacement, true, actor);
      }
      case MERGE -> things.updateAttributes(plan.name(), plan.attributes(), true, actor);
      case DO_NOTHING -> {}
    }
    if (!plan.thingType().equals(current.thingType())) {
      switch (plan.override("ThingTypeName")) {
        case FAIL -> throw conflict(plan.name(), "ThingTypeName");
        case REPLACE ->
            throw new TemplateException(
                409,
                "ResourceConflictsException",
                "thing "
                    + plan.name()
                    + " exists with another thing type; changing it is not supported yet");
        default -> {}
      }
    }
    switch (plan.override("ThingGroups")) {
      case FAIL -> {
        if (!plan.groups().isEmpty()) {
          throw conflict(plan.name(), "ThingGroups");
        }
      }
      case MERGE, REPLACE -> addToGroups(plan.groups(), plan.name(), actor);
      case DO_NOTHING -> {}
    }
    return plan.name();
  }

  private void addToGroups(List<String> groupNames, String thing, String actor) {
    for (String group : groupNames) {
      groups.get(group); // NOT_FOUND names the group
      groups.addThing(group, thing, actor);
    }
  }

  private String policyName(ProvisioningPlan.PolicyPlan policy, String actor) {
    if (policy.policyName().isPresent()) {
      return policies.get(policy.policyName().get()).name();
    }
    String document = policy.policyDocument().orElseThrow();
    // Reference §1.4: without PolicyName the name is a hash of the document, so devices of one
    // template share one policy instead of creating one each.
    String name = sha256(document);
    try {
      policies.get(name);
    } catch (RegistryException e) {
      policies.create(name, document, actor);
    }
    return name;
  }

  private static TemplateException conflict(String thing, String setting) {
    return new TemplateException(
        409,
        "ResourceConflictsException",
        "thing " + thing + " already exists and OverrideSettings." + setting + " is FAIL");
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
    }
  }
}
