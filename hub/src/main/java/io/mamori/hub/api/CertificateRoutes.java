package io.mamori.hub.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mamori.hub.pki.RevocationReason;
import io.mamori.hub.registry.CertificateService;
import io.mamori.hub.registry.CertificateStatus;
import io.mamori.hub.registry.DeviceCertificate;
import io.mamori.hub.registry.IssueRequest;
import io.mamori.hub.registry.Policy;
import io.mamori.hub.registry.PolicyService;
import java.util.Locale;

/** {@code /api/v1/certificates}: issue device certificates, list and show them, change status. */
final class CertificateRoutes {
  private final CertificateService certificates;
  private final PolicyService policies;
  private final Representations views;

  CertificateRoutes(
      CertificateService certificates, PolicyService policies, Representations views) {
    this.certificates = certificates;
    this.policies = policies;
    this.views = views;
  }

  void register(Router router) {
    router
        .add("GET", "/api/v1/certificates", request -> list())
        .add("POST", "/api/v1/certificates", this::issue)
        .add("GET", "/api/v1/certificates/{id}", this::show)
        .add("PUT", "/api/v1/certificates/{id}/status", this::setStatus);
  }

  private ApiResponse list() {
    ObjectNode node = views.object();
    var items = node.putArray("certificates");
    certificates.list().forEach(c -> items.add(view(c, false)));
    return ApiResponse.ok(node);
  }

  private ApiResponse show(ApiRequest request) {
    return ApiResponse.ok(view(certificates.get(request.path("id")), true));
  }

  private ApiResponse issue(ApiRequest request) {
    ObjectNode body = request.jsonObject();
    var issueRequest =
        new IssueRequest(
            ApiRequest.requiredText(body, "thingName"),
            ApiRequest.optionalText(body, "csr"),
            ApiRequest.optionalText(body, "policyName"),
            ApiRequest.optionalInt(body, "days"));
    issueRequest
        .validityDays()
        .filter(days -> days < 1)
        .ifPresent(
            days -> {
              throw ApiException.badRequest("field 'days' must be at least 1");
            });
    return ApiResponse.created(
        views.issued(certificates.issue(issueRequest, AdminApiServer.ACTOR)));
  }

  private ApiResponse setStatus(ApiRequest request) {
    ObjectNode body = request.jsonObject();
    String requested = ApiRequest.requiredText(body, "status");
    CertificateStatus status;
    try {
      status = CertificateStatus.valueOf(requested.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("field 'status' must be ACTIVE, INACTIVE or REVOKED");
    }
    if (status == CertificateStatus.PENDING_ACTIVATION) {
      throw ApiException.badRequest("field 'status' must be ACTIVE, INACTIVE or REVOKED");
    }
    var revocationReason = ApiRequest.optionalText(body, "revocationReason");
    if (revocationReason.isPresent() && status != CertificateStatus.REVOKED) {
      throw ApiException.badRequest("field 'revocationReason' is only allowed with status REVOKED");
    }
    DeviceCertificate changed;
    if (status == CertificateStatus.REVOKED) {
      RevocationReason reason =
          revocationReason
              .map(
                  name ->
                      RevocationReason.parse(name)
                          .orElseThrow(
                              () ->
                                  ApiException.badRequest(
                                      "field 'revocationReason' must be one of "
                                          + RevocationReason.names()
                                          + ", got '"
                                          + name
                                          + "'")))
              .orElse(RevocationReason.UNSPECIFIED);
      changed = certificates.revoke(request.path("id"), reason, AdminApiServer.ACTOR, "");
    } else {
      changed = certificates.setStatus(request.path("id"), status, AdminApiServer.ACTOR);
    }
    return ApiResponse.ok(view(changed, false));
  }

  private ObjectNode view(DeviceCertificate certificate, boolean withPem) {
    var policyNames = policies.policiesOf(certificate.id()).stream().map(Policy::name).toList();
    return views.certificate(
        certificate, certificates.thingsOf(certificate.id()), policyNames, withPem);
  }
}
