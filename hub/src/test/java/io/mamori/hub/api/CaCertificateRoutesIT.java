package io.mamori.hub.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mamori.hub.pki.ManufacturerCa;
import io.mamori.hub.pki.Pem;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CA routes over real HTTPS: status codes and reasons for good and bad requests. */
class CaCertificateRoutesIT {
  @TempDir Path dir;
  private ApiTestHub hub;
  private final ObjectMapper json = new ObjectMapper();
  private ManufacturerCa ca;

  @BeforeEach
  void start() throws Exception {
    hub = new ApiTestHub(dir);
    ca = ManufacturerCa.create("Factory");
  }

  @AfterEach
  void stop() throws Exception {
    hub.close();
  }

  private static final String JITP_TEMPLATE =
      "{\"Parameters\": {\"AWS::IoT::Certificate::CommonName\": {\"Type\": \"String\"},"
          + " \"AWS::IoT::Certificate::Id\": {\"Type\": \"String\"}},"
          + " \"Resources\": {\"thing\": {\"Type\": \"AWS::IoT::Thing\", \"Properties\":"
          + " {\"ThingName\": {\"Ref\": \"AWS::IoT::Certificate::CommonName\"}}},"
          + " \"certificate\": {\"Type\": \"AWS::IoT::Certificate\", \"Properties\":"
          + " {\"CertificateId\": {\"Ref\": \"AWS::IoT::Certificate::Id\"}}}}}";

  @Test
  void registerShowUpdateAndDeleteACa() throws Exception {
    String code =
        hub.get("/api/v1/ca-certificates/registration-code")
            .json()
            .path("registrationCode")
            .asText();
    var body =
        json.createObjectNode()
            .put("caCertificate", ca.pem())
            .put("verificationCertificate", Pem.encodeCertificate(ca.verificationCertificate(code)))
            .put("allowAutoRegistration", true);
    body.putObject("registrationConfig").put("templateBody", JITP_TEMPLATE);

    var created = hub.post("/api/v1/ca-certificates", body.toString());
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.json().path("status").asText()).isEqualTo("INACTIVE");
    assertThat(created.json().path("autoRegistrationStatus").asText()).isEqualTo("ENABLE");
    assertThat(created.json().path("registrationConfig").path("templateBody").asText())
        .isEqualTo(JITP_TEMPLATE);

    var shown = hub.get("/api/v1/ca-certificates/" + ca.id());
    assertThat(shown.json().path("pem").asText()).isEqualTo(ca.pem());
    assertThat(shown.json().path("deviceCertificateCount").asLong()).isZero();

    var again = hub.post("/api/v1/ca-certificates", body.toString());
    assertThat(again.status()).isEqualTo(409);

    var disabled =
        hub.put(
            "/api/v1/ca-certificates/" + ca.id() + "/auto-registration",
            "{\"autoRegistrationStatus\":\"disable\"}");
    assertThat(disabled.json().path("autoRegistrationStatus").asText()).isEqualTo("DISABLE");

    // JITP template removed (auto-registration becomes JITR) and a JITR webhook set.
    String path = "/api/v1/ca-certificates/" + ca.id();
    var jitr = hub.put(path + "/registration-config", "{\"registrationConfig\": null}");
    assertThat(jitr.status()).as(jitr.body()).isEqualTo(200);
    assertThat(jitr.json().has("registrationConfig")).isFalse();
    var hook = hub.put(path + "/jitr-webhook", "{\"url\": \"https://backend.example/jitr\"}");
    assertThat(hook.json().path("jitrWebhook").asText()).isEqualTo("https://backend.example/jitr");
    var badHook = hub.put(path + "/jitr-webhook", "{\"url\": \"ftp://x\"}");
    assertThat(badHook.status()).isEqualTo(400);
    assertThat(badHook.json().path("message").asText())
        .contains("JITR webhook must be an http:// or https:// URL");
    var noUrl = hub.put(path + "/jitr-webhook", "{}");
    assertThat(noUrl.status()).isEqualTo(400);
    var unfillable =
        json.createObjectNode()
            .set(
                "registrationConfig",
                json.createObjectNode()
                    .put("templateBody", JITP_TEMPLATE.replace("CommonName", "Site")));
    var refused = hub.put(path + "/registration-config", unfillable.toString());
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().path("message").asText())
        .contains("JITP template parameter 'AWS::IoT::Certificate::Site' has no Default");
    var missing =
        hub.put(
            path + "/registration-config",
            "{\"registrationConfig\": {\"templateName\": \"nope\"}}");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(hub.put(path + "/jitr-webhook", "{\"url\": null}").json().has("jitrWebhook"))
        .isFalse();

    assertThat(
            hub.put("/api/v1/ca-certificates/" + ca.id() + "/status", "{\"status\":\"ACTIVE\"}")
                .status())
        .isEqualTo(200);
    assertThat(hub.delete("/api/v1/ca-certificates/" + ca.id()).status()).isEqualTo(409);
    hub.put("/api/v1/ca-certificates/" + ca.id() + "/status", "{\"status\":\"INACTIVE\"}");
    assertThat(hub.delete("/api/v1/ca-certificates/" + ca.id()).status()).isEqualTo(204);
    assertThat(hub.get("/api/v1/ca-certificates/" + ca.id()).status()).isEqualTo(404);
  }

  @Test
  void badRequestsGetA400NamingWhatIsWrong() throws Exception {
    assertBad(
        json.createObjectNode().put("caCertificate", ca.pem()).put("certificateMode", "LOOSE"),
        "field 'certificateMode' must be one of [DEFAULT, SNI_ONLY], got LOOSE");
    var bothTemplates =
        json.createObjectNode().put("caCertificate", ca.pem()).put("certificateMode", "SNI_ONLY");
    bothTemplates
        .putObject("registrationConfig")
        .put("templateBody", "{}")
        .put("templateName", "t");
    assertBad(bothTemplates, "registrationConfig takes templateBody or templateName, not both");
    var notJson =
        json.createObjectNode().put("caCertificate", ca.pem()).put("certificateMode", "SNI_ONLY");
    notJson.putObject("registrationConfig").put("templateBody", "{nope");
    assertBad(notJson, "registrationConfig.templateBody is not valid JSON");
    assertBad(
        json.createObjectNode().put("caCertificate", "hello").put("certificateMode", "SNI_ONLY"),
        "CA certificate: no CERTIFICATE block found in PEM text");
    assertThat(hub.get("/api/v1/ca-certificates").json().path("caCertificates")).isEmpty();

    var days = hub.get("/api/v1/expiring-certificates?days=soon");
    assertThat(days.status()).isEqualTo(400);
    assertThat(days.json().path("message").asText()).contains("'days' must be an integer");
    assertThat(hub.get("/api/v1/expiring-certificates?days=4000").status()).isEqualTo(400);
    assertThat(hub.get("/api/v1/ca-certificates/not-an-id").status()).isEqualTo(400);
    assertThat(hub.get("/api/v1/ca-certificates/" + "0".repeat(64)).status()).isEqualTo(404);
  }

  @Test
  void aDeviceCertificateIsRegisteredAndReportedWhenItExpiresSoon() throws Exception {
    hub.caCertificates.register(
        new io.mamori.hub.registry.RegisterCaRequest(
            ca.pem(),
            java.util.Optional.empty(),
            io.mamori.hub.registry.CertificateMode.SNI_ONLY,
            true,
            false,
            java.util.Optional.empty()),
        "test");
    var device = ca.device(ManufacturerCa.p256(), "d1", Duration.ofDays(3));
    var body = json.createObjectNode().put("certificatePem", Pem.encodeCertificate(device));

    var registered = hub.post("/api/v1/certificates/register", body.toString());
    assertThat(registered.status()).as(registered.body()).isEqualTo(201);
    assertThat(registered.json().path("status").asText()).isEqualTo("INACTIVE");
    assertThat(registered.json().path("caCertificateId").asText()).isEqualTo(ca.id());
    String id = registered.json().path("certificateId").asText();

    var expiring = hub.get("/api/v1/expiring-certificates?days=7");
    assertThat(expiring.json().path("certificates").get(0).path("id").asText()).isEqualTo(id);
    assertThat(hub.get("/api/v1/expiring-certificates?days=1").json().path("certificates"))
        .isEmpty();

    var pending = body.put("status", "PENDING_ACTIVATION");
    assertThat(hub.post("/api/v1/certificates/register", pending.toString()).status())
        .isEqualTo(400);
  }

  private void assertBad(Object body, String message) throws Exception {
    var answer = hub.post("/api/v1/ca-certificates", body.toString());
    assertThat(answer.status()).as(answer.body()).isEqualTo(400);
    assertThat(answer.json().path("message").asText()).contains(message);
  }
}
