package io.mamori.hub.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mamori.hub.registry.AutoRegistrationStatus;
import io.mamori.hub.registry.CaCertificate;
import io.mamori.hub.registry.CaCertificateService;
import io.mamori.hub.registry.CaCertificateStatus;
import io.mamori.hub.registry.CertificateExpiry;
import io.mamori.hub.registry.CertificateMode;
import io.mamori.hub.registry.CertificateRegistration;
import io.mamori.hub.registry.CertificateStatus;
import io.mamori.hub.registry.ExpiringCertificate;
import io.mamori.hub.registry.RegisterCaRequest;
import io.mamori.hub.registry.RegisterCertificateRequest;
import io.mamori.hub.registry.RegistrationConfig;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code /api/v1/ca-certificates}: manufacturers' CAs (AWS RegisterCACertificate and friends), plus
 * registering a device certificate one of them issued ({@code POST /api/v1/certificates/register})
 * and the expiry report ({@code GET /api/v1/expiring-certificates?days=N}).
 */
final class CaCertificateRoutes {
  private final CaCertificateService cas;
  private final CertificateRegistration registration;
  private final CertificateExpiry expiry;
  private final Representations views;
  private final Consumer<RegistrationConfig> templateCheck;
  private final ObjectMapper json = new ObjectMapper();

  /**
   * @param templateCheck refuses a registrationConfig that cannot serve JITP (a missing template,
   *     parameters a connecting device cannot supply)
   */
  CaCertificateRoutes(
      CaCertificateService cas,
      CertificateRegistration registration,
      CertificateExpiry expiry,
      Representations views,
      Consumer<RegistrationConfig> templateCheck) {
    this.templateCheck = templateCheck;
    this.cas = cas;
    this.registration = registration;
    this.expiry = expiry;
    this.views = views;
  }

  void register(Router router) {
    // The literal path first: the first matching template wins.
    router
        .add(
            "GET",
            "/api/v1/ca-certificates/registration-code",
            request ->
                ApiResponse.ok(views.object().put("registrationCode", cas.registrationCode())))
        .add("GET", "/api/v1/ca-certificates", request -> list())
        .add("POST", "/api/v1/ca-certificates", this::registerCa)
        .add("GET", "/api/v1/ca-certificates/{id}", this::show)
        .add("PUT", "/api/v1/ca-certificates/{id}/status", this::setStatus)
        .add("PUT", "/api/v1/ca-certificates/{id}/auto-registration", this::setAutoRegistration)
        .add("PUT", "/api/v1/ca-certificates/{id}/registration-config", this::setRegistrationConfig)
        .add("PUT", "/api/v1/ca-certificates/{id}/jitr-webhook", this::setJitrWebhook)
        .add("DELETE", "/api/v1/ca-certificates/{id}", this::delete)
        .add("POST", "/api/v1/certificates/register", this::registerCertificate)
        .add("GET", "/api/v1/expiring-certificates", this::expiring);
  }

  private ApiResponse list() {
    ObjectNode node = views.object();
    var items = node.putArray("caCertificates");
    cas.list().forEach(ca -> items.add(view(ca, false)));
    return ApiResponse.ok(node);
  }

  private ApiResponse show(ApiRequest request) {
    CaCertificate ca = cas.get(request.path("id"));
    return ApiResponse.ok(
        view(ca, true).put("deviceCertificateCount", cas.deviceCertificateCount(ca.id())));
  }

  private ApiResponse registerCa(ApiRequest request) {
    ObjectNode body = request.jsonObject();
    var registered =
        cas.register(
            new RegisterCaRequest(
                ApiRequest.requiredText(body, "caCertificate"),
                ApiRequest.optionalText(body, "verificationCertificate"),
                ApiRequest.optionalText(body, "certificateMode")
                    .map(m -> parse(CertificateMode.class, m, "certificateMode"))
                    .orElse(CertificateMode.DEFAULT),
                ApiRequest.optionalBoolean(body, "setAsActive").orElse(false),
                ApiRequest.optionalBoolean(body, "allowAutoRegistration").orElse(false),
                registrationConfig(body)),
            AdminApiServer.ACTOR);
    return ApiResponse.created(view(registered, false));
  }

  private ApiResponse setStatus(ApiRequest request) {
    var status =
        parse(
            CaCertificateStatus.class,
            ApiRequest.requiredText(request.jsonObject(), "status"),
            "status");
    return ApiResponse.ok(
        view(cas.setStatus(request.path("id"), status, AdminApiServer.ACTOR), false));
  }

  private ApiResponse setAutoRegistration(ApiRequest request) {
    ObjectNode body = request.jsonObject();
    var status =
        parse(
            AutoRegistrationStatus.class,
            ApiRequest.requiredText(body, "autoRegistrationStatus"),
            "autoRegistrationStatus");
    return ApiResponse.ok(
        view(
            cas.setAutoRegistration(
                request.path("id"), status, registrationConfig(body), AdminApiServer.ACTOR),
            false));
  }

  /**
   * {@code {"registrationConfig": {...}}} sets the JITP template; {@code null} removes it (JITR).
   */
  private ApiResponse setRegistrationConfig(ApiRequest request) {
    ObjectNode body = request.jsonObject();
    if (!body.has("registrationConfig")) {
      throw ApiException.badRequest(
          "field 'registrationConfig' is required: an object with templateName or templateBody,"
              + " or null to remove the template (auto-registration becomes JITR)");
    }
    return ApiResponse.ok(
        view(
            cas.setRegistrationConfig(
                request.path("id"), registrationConfig(body), AdminApiServer.ACTOR),
            false));
  }

  /** {@code {"url": "https://..."}} sets the JITR webhook; {@code null} removes it. */
  private ApiResponse setJitrWebhook(ApiRequest request) {
    ObjectNode body = request.jsonObject();
    if (!body.has("url")) {
      throw ApiException.badRequest("field 'url' is required (null removes the webhook)");
    }
    return ApiResponse.ok(
        view(
            cas.setJitrWebhook(
                request.path("id"), ApiRequest.optionalText(body, "url"), AdminApiServer.ACTOR),
            false));
  }

  private ApiResponse delete(ApiRequest request) {
    cas.delete(request.path("id"), AdminApiServer.ACTOR);
    return ApiResponse.noContent();
  }

  private ApiResponse registerCertificate(ApiRequest request) {
    ObjectNode body = request.jsonObject();
    var status =
        ApiRequest.optionalText(body, "status")
            .map(s -> parse(CertificateStatus.class, s, "status"))
            .orElse(CertificateStatus.INACTIVE);
    var asked =
        new RegisterCertificateRequest(
            ApiRequest.requiredText(body, "certificatePem"),
            ApiRequest.optionalText(body, "caCertificateId"),
            status,
            ApiRequest.optionalText(body, "thingName"),
            ApiRequest.optionalText(body, "policyName"));
    // AWS RegisterCertificateWithoutCA is its own action; here one flag of the same route.
    var registered =
        ApiRequest.optionalBoolean(body, "withoutCa").orElse(false)
            ? registration.registerWithoutCa(asked, AdminApiServer.ACTOR)
            : registration.register(asked, AdminApiServer.ACTOR);
    return ApiResponse.created(
        views
            .object()
            .put("certificateId", registered.id())
            .put("status", registered.status().name())
            .put("caCertificateId", registered.caCertificateId()));
  }

  private ApiResponse expiring(ApiRequest request) {
    int days;
    try {
      days = Integer.parseInt(request.query("days").orElse("30"));
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("query parameter 'days' must be an integer");
    }
    ObjectNode node = views.object().put("days", days);
    var items = node.putArray("certificates");
    for (ExpiringCertificate c : expiry.within(days)) {
      items
          .addObject()
          .put("id", c.id())
          .put("kind", c.kind().name())
          .put("subject", c.subject())
          .put("status", c.status())
          .put("notAfter", c.notAfter().toString());
    }
    return ApiResponse.ok(node);
  }

  private Optional<RegistrationConfig> registrationConfig(ObjectNode body) {
    JsonNode config = body.get("registrationConfig");
    if (config == null || config.isNull()) {
      return Optional.empty();
    }
    if (!config.isObject()) {
      throw ApiException.badRequest("field 'registrationConfig' must be an object");
    }
    ObjectNode object = (ObjectNode) config;
    Optional<String> templateBody = ApiRequest.optionalText(object, "templateBody");
    templateBody.ifPresent(this::requireJsonObject);
    var parsed =
        new RegistrationConfig(
            templateBody,
            ApiRequest.optionalText(object, "templateName"),
            ApiRequest.optionalText(object, "roleArn"));
    templateCheck.accept(parsed);
    return Optional.of(parsed);
  }

  /** Reference §1.4: a provisioning template is a JSON object (sent as escaped text). */
  private void requireJsonObject(String templateBody) {
    try {
      if (!json.readTree(templateBody).isObject()) {
        throw ApiException.badRequest("registrationConfig.templateBody must be a JSON object");
      }
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest(
          "registrationConfig.templateBody is not valid JSON: " + e.getOriginalMessage());
    }
  }

  private static <E extends Enum<E>> E parse(Class<E> type, String value, String field) {
    try {
      return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(
          "field '"
              + field
              + "' must be one of "
              + Arrays.toString(type.getEnumConstants())
              + ", got "
              + value);
    }
  }

  private ObjectNode view(CaCertificate ca, boolean withPem) {
    ObjectNode node =
        views
            .object()
            .put("id", ca.id())
            .put("status", ca.status().name())
            .put("certificateMode", ca.mode().name())
            .put("autoRegistrationStatus", ca.autoRegistration().name())
            .put("subject", ca.subject())
            .put("serialNumber", ca.serialNumber())
            .put("notBefore", ca.notBefore().toString())
            .put("notAfter", ca.notAfter().toString())
            .put("createdAt", ca.createdAt().toString())
            .put("updatedAt", ca.updatedAt().toString());
    ca.jitrWebhook().ifPresent(url -> node.put("jitrWebhook", url));
    ca.registrationConfig()
        .ifPresent(
            config -> {
              ObjectNode c = node.putObject("registrationConfig");
              config.templateBody().ifPresent(b -> c.put("templateBody", b));
              config.templateName().ifPresent(n -> c.put("templateName", n));
              config.roleArn().ifPresent(r -> c.put("roleArn", r));
            });
    if (withPem) {
      node.put("pem", ca.pem());
    }
    return node;
  }
}
