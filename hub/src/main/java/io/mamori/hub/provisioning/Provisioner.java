package io.mamori.hub.provisioning;

import io.mamori.hub.genuine.GenuineIdentities;
import io.mamori.hub.genuine.IdentityKind;
import io.mamori.hub.genuine.NotGenuineException;
import io.mamori.hub.identity.OwnershipTokens;
import io.mamori.hub.pki.Pem;
import io.mamori.hub.registry.CertificateService;
import io.mamori.hub.registry.CertificateStatus;
import io.mamori.hub.registry.DeviceCertificate;
import io.mamori.hub.registry.RegistryException;
import io.mamori.hub.registry.Transactor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * RegisterThing (reference §1.1-§1.3): proves the certificate with its ownership token, asks the
 * pre-provisioning hook, evaluates the template and applies it in one transaction: thing created or
 * updated, certificate activated and attached to it, policies created or reused and attached. The
 * token is consumed in that same transaction, so a refused request leaves nothing behind and the
 * token still valid for a corrected retry, while a second successful use is impossible.
 */
public final class Provisioner {
  /** AWS's own text for a missing token (aws-iot-device-sdk-js-v2#69). */
  static final String EMPTY_TOKEN = "Certificate ownership token cannot be empty.";

  static final String INVALID_TOKEN = "InvalidCertificateOwnershipToken";

  private final ProvisioningTemplateService templates;
  private final OwnershipTokens tokens;
  private final CertificateService certificates;
  private final PreProvisioningHook hook;
  private final GenuineIdentities genuine;
  private final Transactor transactor;
  private final PlanApplier applier;

  public Provisioner(
      ProvisioningTemplateService templates,
      OwnershipTokens tokens,
      CertificateService certificates,
      PreProvisioningHook hook,
      GenuineIdentities genuine,
      Transactor transactor,
      PlanApplier applier) {
    this.genuine = genuine;
    this.templates = templates;
    this.tokens = tokens;
    this.certificates = certificates;
    this.hook = hook;
    this.transactor = transactor;
    this.applier = applier;
  }

  /** The identity a device claims, to be found on the genuine list (template extension). */
  public record ClaimedIdentity(IdentityKind kind, String value) {}

  /** What the device is told on {@code .../accepted}. */
  public record Registered(
      String certificateId, Optional<String> thingName, Map<String, String> deviceConfiguration) {}

  /** Whether RegisterThing on {@code templateName} calls a pre-provisioning hook (may be slow). */
  public boolean callsHook(String templateName) {
    try {
      return templates.get(templateName).preProvisioningHook().isPresent();
    } catch (RegistryException e) {
      return false; // refused by register() without calling anything
    }
  }

  /**
   * @param claimCertificateId the certificate the request came in with
   * @throws TemplateException naming why the request was refused
   */
  public Registered register(
      String templateName,
      String token,
      Map<String, String> parameters,
      String claimCertificateId,
      String clientId) {
    ProvisioningTemplate template;
    try {
      template = templates.get(templateName);
    } catch (RegistryException e) {
      throw new TemplateException(
          404, "ResourceNotFoundException", "provisioning template " + templateName + " not found");
    }
    if (!template.enabled()) {
      throw new TemplateException(
          403, "AccessDeniedException", "provisioning template " + templateName + " is disabled");
    }
    if (token == null || token.isBlank()) {
      throw new TemplateException(400, INVALID_TOKEN, EMPTY_TOKEN);
    }
    String certificateId = tokens.peek(token).orElseThrow(Provisioner::invalidToken);
    DeviceCertificate certificate = certificates.get(certificateId);
    Map<String, String> effective = new LinkedHashMap<>(parameters);
    if (template.preProvisioningHook().isPresent()) {
      effective.putAll(
          hook.ask(
              template.preProvisioningHook().get(),
              new PreProvisioningHook.Input(
                  claimCertificateId,
                  certificateId,
                  certificate.pem(),
                  templateName,
                  clientId,
                  Map.copyOf(parameters))));
    }
    ProvisioningPlan plan =
        TemplateDocument.parse(template.body())
            .evaluate(effective, Map.of(TemplateDocument.CERTIFICATE_ID, certificateId));
    if (!plan.certificateId().equals(certificateId)) {
      throw TemplateException.invalidParameters(
          "the template's CertificateId must be the certificate of the ownership token"
              + " (use {\"Ref\": \"AWS::IoT::Certificate::Id\"})");
    }
    Optional<ClaimedIdentity> claimed = claimedIdentity(plan, certificate.pem());
    String actor = "provisioning:" + templateName;
    try {
      return transactor.inTransaction(() -> apply(plan, token, certificateId, actor, claimed));
    } catch (RegistryException e) {
      throw refusal(e);
    } catch (NotGenuineException e) {
      throw refusal(e);
    }
  }

  /** The rejected answer for a registry refusal met while applying a plan. */
  static TemplateException refusal(RegistryException e) {
    return switch (e.kind()) {
      case CONFLICT -> new TemplateException(409, "ResourceConflictsException", e.getMessage());
      case NOT_FOUND, INVALID -> TemplateException.invalidParameters(e.getMessage());
    };
  }

  /** A possible clone: 403 with the reason; the cause carries what the security event needs. */
  static TemplateException refusal(NotGenuineException e) {
    return new TemplateException(403, "AccessDeniedException", e.getMessage(), e);
  }

  /** What the template requires the device to prove genuine, with the value it claims. */
  static Optional<ClaimedIdentity> claimedIdentity(ProvisioningPlan plan, String certificatePem) {
    return plan.genuineIdentity()
        .map(
            g ->
                new ClaimedIdentity(
                    g.kind(),
                    g.value()
                        .orElseGet(
                            () ->
                                GenuineIdentities.fingerprint(
                                    Pem.parseCertificate(certificatePem).getPublicKey()))));
  }

  private Registered apply(
      ProvisioningPlan plan,
      String token,
      String certificateId,
      String actor,
      Optional<ClaimedIdentity> claimed) {
    // Consumed again inside the transaction: of two concurrent requests with one token, one wins.
    if (!tokens.consume(token).map(certificateId::equals).orElse(false)) {
      throw invalidToken();
    }
    if (certificates.get(certificateId).status() != CertificateStatus.PENDING_ACTIVATION) {
      throw new TemplateException(
          409,
          "ResourceConflictsException",
          "certificate " + certificateId + " is already registered");
    }
    return applyPlan(plan, certificateId, actor, claimed);
  }

  /**
   * Applies an evaluated plan to a registered certificate: genuine identity used up, thing created
   * or updated, certificate status set and attached, policies attached. Call inside a transaction.
   *
   * @throws NotGenuineException when the claimed identity is unknown, used or revoked
   */
  Registered applyPlan(
      ProvisioningPlan plan,
      String certificateId,
      String actor,
      Optional<ClaimedIdentity> claimed) {
    // First: a clone is refused before anything else is written.
    claimed.ifPresent(
        c ->
            genuine.claim(
                c.kind(),
                c.value(),
                plan.thing().map(ProvisioningPlan.ThingPlan::name).orElse(""),
                certificateId));
    Optional<String> thingName = applier.apply(plan, certificateId, actor, "fleet provisioning");
    return new Registered(certificateId, thingName, plan.deviceConfiguration());
  }

  private static TemplateException invalidToken() {
    return new TemplateException(
        400,
        INVALID_TOKEN,
        "Certificate ownership token is invalid, expired or has already been used.");
  }
}
