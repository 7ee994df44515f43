package io.mamori.hub.provisioning;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mamori.hub.events.EventPublisher;
import io.mamori.hub.events.HubEvent;
import io.mamori.hub.genuine.NotGenuineException;
import io.mamori.hub.pki.CertificateAuthority;
import io.mamori.hub.pki.CertificateIds;
import io.mamori.hub.pki.CsrRejectedException;
import io.mamori.hub.pki.DeviceCertificateRequest;
import io.mamori.hub.pki.Pem;
import io.mamori.hub.pki.PemFormatException;
import io.mamori.hub.registry.CertificateRegistration;
import io.mamori.hub.registry.CertificateStatus;
import io.mamori.hub.registry.RegisterCertificateRequest;
import io.mamori.hub.registry.RegistryException;
import io.mamori.hub.registry.Transactor;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Bulk registration (loosely AWS StartThingRegistrationTask): an operator registers many devices
 * through one provisioning template, each line its parameters plus a CSR (the hub signs it) or a
 * certificate (issued by the hub's CA or a registered CA). Each line is one transaction: the
 * certificate registered, the template applied exactly as fleet provisioning applies it (genuine
 * identity included), and the line recorded under a hash of its content, so running the same file
 * again reports applied lines as already done instead of creating anything twice.
 */
public final class BulkRegistration {
  /** Lines per call; the CLI sends bigger files in chunks. */
  public static final int MAX_LINES = 500;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ProvisioningTemplateService templates;
  private final Provisioner provisioner;
  private final CertificateAuthority authority;
  private final CertificateRegistration registration;
  private final BulkRegistrationRepository applied;
  private final Transactor transactor;
  private final Duration validity;
  private final EventPublisher events;
  private final Clock clock;

  public BulkRegistration(
      ProvisioningTemplateService templates,
      Provisioner provisioner,
      CertificateAuthority authority,
      CertificateRegistration registration,
      BulkRegistrationRepository applied,
      Transactor transactor,
      Duration validity,
      EventPublisher events,
      Clock clock) {
    this.templates = templates;
    this.provisioner = provisioner;
    this.authority = authority;
    this.registration = registration;
    this.applied = applied;
    this.transactor = transactor;
    this.validity = validity;
    this.events = events;
    this.clock = clock;
  }

  /**
   * One device to register.
   *
   * @param number the line number in the operator's file (echoed in the result)
   * @param csrPem exactly one of this and {@code certificatePem}
   */
  public record Line(
      int number,
      Map<String, String> parameters,
      Optional<String> csrPem,
      Optional<String> certificatePem) {}

  /** How a line ended. */
  public enum Status {
    REGISTERED,
    ALREADY_DONE,
    FAILED
  }

  /**
   * @param certificatePem the device's certificate (for CSR lines the one the hub signed)
   * @param reason why a line failed; empty otherwise
   */
  public record Result(
      int line,
      Status status,
      Optional<String> thingName,
      Optional<String> certificateId,
      Optional<String> certificatePem,
      String reason) {
    static Result failed(int line, String reason) {
      return new Result(
          line, Status.FAILED, Optional.empty(), Optional.empty(), Optional.empty(), reason);
    }
  }

  /**
   * Registers the lines one by one (a failed line does not stop the others).
   *
   * @throws RegistryException NOT_FOUND for an unknown template, INVALID for too many lines
   */
  public List<Result> register(String templateName, List<Line> lines, String actor) {
    if (lines.isEmpty() || lines.size() > MAX_LINES) {
      throw RegistryException.invalid(
          "a bulk request holds 1 to " + MAX_LINES + " lines, got " + lines.size());
    }
    ProvisioningTemplate template = templates.get(templateName);
    TemplateDocument document = TemplateDocument.parse(template.body());
    List<Result> results = new ArrayList<>(lines.size());
    for (Line line : lines) {
      results.add(registerLine(templateName, document, line, actor));
    }
    Map<Status, Long> counts =
        results.stream().collect(Collectors.groupingBy(Result::status, Collectors.counting()));
    events.publish(
        new HubEvent(
            "provisioning.bulk",
            clock.instant(),
            actor,
            templateName,
            counts.containsKey(Status.FAILED) ? HubEvent.FAILURE : HubEvent.SUCCESS,
            "",
            Map.of(
                "registered", String.valueOf(counts.getOrDefault(Status.REGISTERED, 0L)),
                "alreadyDone", String.valueOf(counts.getOrDefault(Status.ALREADY_DONE, 0L)),
                "failed", String.valueOf(counts.getOrDefault(Status.FAILED, 0L)))));
    return results;
  }

  private Result registerLine(
      String templateName, TemplateDocument document, Line line, String actor) {
    if (line.csrPem().isPresent() == line.certificatePem().isPresent()) {
      return Result.failed(line.number(), "needs exactly one of a CSR or a certificate (PEM)");
    }
    String hash = hash(line);
    Optional<Result> done = alreadyDone(templateName, hash, line.number());
    if (done.isPresent()) {
      return done.get();
    }
    try {
      // Evaluated once before signing, so a line with bad parameters costs no signature.
      ProvisioningPlan draft =
          document.evaluate(line.parameters(), Map.of(TemplateDocument.CERTIFICATE_ID, "pending"));
      String pem =
          line.csrPem().isPresent()
              ? sign(line.csrPem().get(), draft.thing().map(ProvisioningPlan.ThingPlan::name))
              : line.certificatePem().get();
      String certificateId = certificateId(pem);
      ProvisioningPlan plan =
          document.evaluate(
              line.parameters(), Map.of(TemplateDocument.CERTIFICATE_ID, certificateId));
      if (!plan.certificateId().equals(certificateId)) {
        return Result.failed(
            line.number(),
            "the template's CertificateId must be {\"Ref\": \"AWS::IoT::Certificate::Id\"}");
      }
      Optional<Provisioner.ClaimedIdentity> claimed = Provisioner.claimedIdentity(plan, pem);
      String by = actor + " bulk:" + templateName;
      return transactor.inTransaction(
          () -> {
            Optional<Result> raced = alreadyDone(templateName, hash, line.number());
            if (raced.isPresent()) {
              return raced.get();
            }
            registration.register(
                new RegisterCertificateRequest(pem, Optional.empty(), CertificateStatus.INACTIVE),
                by);
            Provisioner.Registered registered =
                provisioner.applyPlan(plan, certificateId, by, claimed);
            applied.insert(
                templateName,
                hash,
                new BulkRegistrationRepository.Applied(
                    registered.thingName(), certificateId, now()));
            return new Result(
                line.number(),
                Status.REGISTERED,
                registered.thingName(),
                Optional.of(certificateId),
                Optional.of(pem),
                "");
          });
    } catch (TemplateException e) {
      return Result.failed(line.number(), e.getMessage());
    } catch (RegistryException e) {
      return Result.failed(line.number(), e.getMessage());
    } catch (NotGenuineException e) {
      return Result.failed(line.number(), e.getMessage());
    }
  }

  private Optional<Result> alreadyDone(String templateName, String hash, int number) {
    return applied
        .find(templateName, hash)
        .map(
            a ->
                new Result(
                    number,
                    Status.ALREADY_DONE,
                    a.thingName(),
                    Optional.of(a.certificateId()),
                    Optional.empty(),
                    "applied at " + a.registeredAt()));
  }

  private String sign(String csrPem, Optional<String> thingName) {
    try {
      return authority
          .issueDeviceCertificate(
              new DeviceCertificateRequest(
                  thingName.orElse("Mamori IoT Certificate"), Optional.of(csrPem), validity))
          .certificatePem();
    } catch (CsrRejectedException e) {
      throw RegistryException.invalid("CSR rejected: " + e.getMessage());
    }
  }

  private static String certificateId(String pem) {
    try {
      return CertificateIds.of(Pem.parseCertificates(pem).get(0));
    } catch (PemFormatException e) {
      throw RegistryException.invalid("certificate: " + e.getMessage());
    }
  }

  /** SHA-256 of the line's content: parameters in key order and the PEM without layout. */
  static String hash(Line line) {
    String pem =
        line.csrPem()
            .or(line::certificatePem)
            .orElse("")
            .lines()
            .map(String::strip)
            .filter(l -> !l.isEmpty())
            .collect(Collectors.joining("\n"));
    try {
      byte[] content =
          JSON.writeValueAsBytes(
              // Sorted maps: the hash must be the same in every run of the hub.
              new TreeMap<>(
                  Map.of(
                      "parameters",
                      new TreeMap<>(line.parameters()),
                      "kind",
                      line.csrPem().isPresent() ? "csr" : "certificate",
                      "pem",
                      pem)));
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot hash a bulk line", e);
    }
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
