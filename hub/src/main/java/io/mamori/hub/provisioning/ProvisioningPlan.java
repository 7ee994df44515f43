package io.mamori.hub.provisioning;

import io.mamori.hub.genuine.IdentityKind;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A template evaluated with one device's parameters: the registry changes RegisterThing makes.
 *
 * @param thing the thing to create or update; empty when the template has no thing resource
 * @param certificateId the certificate the template names (must be the one the token proves)
 * @param certificateActive {@code Status} of the certificate resource (default ACTIVE)
 * @param policies the policies to attach to the certificate
 * @param deviceConfiguration returned to the device verbatim (flat strings, reference §1.2)
 * @param genuineIdentity the identity the device must prove genuine (Mamori extension {@code
 *     Mamori::GenuineIdentity}), if the template requires one
 */
public record ProvisioningPlan(
    Optional<ThingPlan> thing,
    String certificateId,
    boolean certificateActive,
    List<PolicyPlan> policies,
    Map<String, String> deviceConfiguration,
    Optional<GenuineRequirement> genuineIdentity) {

  /**
   * @param value the claimed value; empty for {@link IdentityKind#PUBLIC_KEY_SHA256}, which is
   *     computed from the certificate being provisioned
   */
  public record GenuineRequirement(IdentityKind kind, Optional<String> value) {}

  /** What to do when the resource already exists (reference §1.4 {@code OverrideSettings}). */
  public enum Override {
    DO_NOTHING,
    REPLACE,
    FAIL,
    MERGE
  }

  /**
   * @param overrides keyed {@code AttributePayload}, {@code ThingTypeName}, {@code ThingGroups}
   */
  public record ThingPlan(
      String name,
      Map<String, String> attributes,
      Optional<String> thingType,
      List<String> groups,
      Map<String, Override> overrides) {
    public Override override(String key) {
      return overrides.getOrDefault(key, Override.DO_NOTHING);
    }
  }

  /** Exactly one of an existing policy's name or an inline document. */
  public record PolicyPlan(Optional<String> policyName, Optional<String> policyDocument) {}
}
