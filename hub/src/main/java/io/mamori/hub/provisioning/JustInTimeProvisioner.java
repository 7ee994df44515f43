package io.mamori.hub.provisioning;

import io.mamori.hub.events.EventPublisher;
import io.mamori.hub.events.HubEvent;
import io.mamori.hub.registry.CaCertificate;
import io.mamori.hub.registry.CertificateRegistration;
import io.mamori.hub.registry.CertificateStatus;
import io.mamori.hub.registry.RegistrationConfig;
import io.mamori.hub.registry.RegistryException;
import io.mamori.hub.registry.Transactor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * JITP (reference §2.2, §1.4): the first connect of an unknown certificate from a CA that carries a
 * template registers the certificate, creates thing and policy from the template and attaches them,
 * all in one transaction, so a template that cannot be satisfied leaves nothing behind. The
 * connection is refused either way; a provisioned device connects when it reconnects.
 */
final class JustInTimeProvisioner {
  private final ProvisioningTemplateService templates;
  private final CertificateRegistration registration;
  private final PlanApplier applier;
  private final Transactor transactor;
  private final EventPublisher events;
  private final Clock clock;

  JustInTimeProvisioner(
      ProvisioningTemplateService templates,
      CertificateRegistration registration,
      PlanApplier applier,
      Transactor transactor,
      EventPublisher events,
      Clock clock) {
    this.templates = templates;
    this.registration = registration;
    this.applier = applier;
    this.transactor = transactor;
    this.events = events;
    this.clock = clock;
  }

  /** Provisions the certificate if the template allows; returns why this CONNECT is refused. */
  String provision(
      X509Certificate leaf, String certificateId, CaCertificate ca, RegistrationConfig config) {
    String templateName = config.templateName().orElse("templateBody");
    String actor = "jitp:" + templateName;
    Optional<String> thing;
    try {
      ProvisioningPlan plan = plan(leaf, certificateId, config);
      thing =
          transactor.inTransaction(
              () -> {
                var registered = registration.autoRegister(leaf, ca.id(), "JITP", actor);
                if (registered.status() != CertificateStatus.PENDING_ACTIVATION) {
                  // A concurrent first connect provisioned it already.
                  return Optional.<String>empty();
                }
                return applier.apply(plan, certificateId, actor, "just-in-time provisioning");
              });
    } catch (TemplateException | RegistryException e) {
      events.publish(
          new HubEvent(
              "jitp.refused",
              clock.instant(),
              actor,
              certificateId,
              HubEvent.DENIED,
              e.getMessage(),
              Map.of("caCertificateId", ca.id(), "template", templateName)));
      return "certificate "
          + certificateId
          + " was not provisioned by template "
          + templateName
          + ": "
          + e.getMessage();
    }
    var details = new LinkedHashMap<String, String>();
    details.put("caCertificateId", ca.id());
    details.put("template", templateName);
    thing.ifPresent(t -> details.put("thing", t));
    events.publish(
        new HubEvent(
            "jitp.provisioned",
            clock.instant(),
            actor,
            certificateId,
            HubEvent.SUCCESS,
            "",
            details));
    // Reference §2.2: even after JITP the initial connection is refused; the device reconnects.
    return "certificate "
        + certificateId
        + " was just provisioned by template "
        + templateName
        + "; reconnect to use it";
  }

  private ProvisioningPlan plan(
      X509Certificate leaf, String certificateId, RegistrationConfig config) {
    String body;
    if (config.templateBody().isPresent()) {
      body = config.templateBody().get();
    } else {
      ProvisioningTemplate template = templates.get(config.templateName().orElseThrow());
      if (!template.enabled()) {
        throw new TemplateException(
            403,
            "AccessDeniedException",
            "provisioning template " + template.name() + " is disabled");
      }
      body = template.body();
    }
    TemplateDocument document = TemplateDocument.parse(body);
    Map<String, String> pseudo = CertificateParameters.of(leaf, certificateId);
    // Reference §1.4: JITP fails if any declared certificate parameter is missing from the cert.
    for (String name : document.parameterNames()) {
      if (CertificateParameters.isPseudo(name) && !pseudo.containsKey(name)) {
        throw TemplateException.invalidParameters(
            "template declares " + name + " but the certificate subject has no such attribute");
      }
    }
    ProvisioningPlan plan = document.evaluate(Map.of(), pseudo);
    if (!certificateId.equals(plan.certificateId())) {
      throw TemplateException.invalidParameters(
          "the template's CertificateId must be the connecting certificate"
              + " (use {\"Ref\": \"AWS::IoT::Certificate::Id\"})");
    }
    return plan;
  }
}
