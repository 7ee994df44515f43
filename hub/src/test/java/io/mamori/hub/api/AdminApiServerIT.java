package io.mamori.hub.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringWriter;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminApiServerIT {
  private static final String POLICY =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
          + "\"Action\":\"iot:Connect\",\"Resource\":\"arn:aws:iot:*:*:client/${iot:ClientId}\"}]}";

  @TempDir java.nio.file.Path dir;
  private ApiTestHub hub;
  private final ObjectMapper json = new ObjectMapper();

  @BeforeEach
  void start() throws Exception {
    hub = new ApiTestHub(dir);
  }

  @AfterEach
  void stop() throws Exception {
    hub.close();
  }

  @Test
  void healthAnswersWithoutAToken() throws Exception {
    var answer = hub.send("GET", "/api/v1/health", Optional.empty(), Optional.empty());

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.json().path("status").asText()).isEqualTo("ok");
  }

  @Test
  void everyOtherRouteRefusesARequestWithoutToken() throws Exception {
    for (String path : new String[] {"/api/v1/things", "/api/v1/ca", "/api/v1/openapi.json"}) {
      var answer = hub.send("GET", path, Optional.empty(), Optional.empty());

      assertThat(answer.status()).as(path).isEqualTo(401);
      assertThat(answer.json().path("error").asText()).isEqualTo("unauthorized");
      assertThat(answer.raw().headers().firstValue("WWW-Authenticate"))
          .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    }
  }

  @Test
  void aWrongTokenIsRefusedEvenOnUnknownRoutes() throws Exception {
    var wrong = hub.send("GET", "/api/v1/things", Optional.empty(), Optional.of(hub.token + "x"));
    var unknown = hub.send("GET", "/api/v1/nope", Optional.empty(), Optional.of("guess"));
    var body = hub.send("POST", "/api/v1/things", Optional.of("{\"name\":\"t\"}"), Optional.of(""));

    assertThat(wrong.status()).isEqualTo(401);
    assertThat(unknown.status()).isEqualTo(401);
    assertThat(body.status()).isEqualTo(401);
    assertThat(wrong.json().path("message").asText()).isEqualTo("a valid admin token is required");
    assertThat(hub.events)
        .filteredOn(e -> e.type().equals("api.authentication"))
        .hasSize(3)
        .allSatisfy(
            e -> {
              assertThat(e.outcome()).isEqualTo("denied");
              assertThat(e.actor()).isEqualTo("127.0.0.1");
            })
        .extracting(e -> e.subject())
        .containsExactly("/api/v1/things", "/api/v1/nope", "/api/v1/things");
  }

  @Test
  void theOpenApiDocumentIsServedAndDescribesEveryRoute() throws Exception {
    var answer = hub.get("/api/v1/openapi.json");

    assertThat(answer.status()).isEqualTo(200);
    JsonNode document = answer.json();
    assertThat(document.path("openapi").asText()).startsWith("3.");
    Set<String> documented = new HashSet<>();
    document
        .path("paths")
        .properties()
        .forEach(
            path ->
                path.getValue()
                    .fieldNames()
                    .forEachRemaining(
                        method -> {
                          if (!method.equals("parameters")) {
                            documented.add(method.toUpperCase() + " " + path.getKey());
                          }
                        }));
    assertThat(documented).containsExactlyInAnyOrderElementsOf(hub.server.routes());
  }

  @Test
  void theCaChainIsServedAsPemWithItsIds() throws Exception {
    var answer = hub.get("/api/v1/ca");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.json().path("chainPem").asText()).isEqualTo(hub.authority.chainPem());
    assertThat(answer.json().path("issuingCertificateId").asText())
        .isEqualTo(hub.authority.issuingCertificateId());
    assertThat(answer.json().path("certificates")).hasSize(2);
  }

  @Test
  void malformedJsonIsABadRequestWithAReason() throws Exception {
    var answer = hub.post("/api/v1/things", "{\"name\": ");

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.json().path("error").asText()).isEqualTo("invalid_json");
    assertThat(answer.json().path("message").asText()).startsWith("request body is not valid JSON");
  }

  @Test
  void aMissingOrMistypedFieldIsABadRequestNamingIt() throws Exception {
    var missing = hub.post("/api/v1/things", "{\"attributes\":{}}");
    var mistyped = hub.post("/api/v1/things", "{\"name\":\"t\",\"attributes\":{\"a\":1}}");
    var notAnObject = hub.post("/api/v1/policies", "[]");

    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.json().path("message").asText()).isEqualTo("field 'name' is required");
    assertThat(mistyped.status()).isEqualTo(400);
    assertThat(mistyped.json().path("message").asText()).contains("attributes.a");
    assertThat(notAnObject.status()).isEqualTo(400);
  }

  @Test
  void unknownRoutesAre404AndWrongMethods405() throws Exception {
    var unknown = hub.get("/api/v1/gadgets");
    var wrongMethod = hub.send("PUT", "/api/v1/things", Optional.of("{}"), Optional.of(hub.token));

    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().path("error").asText()).isEqualTo("not_found");
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(wrongMethod.raw().headers().firstValue("Allow")).hasValue("GET, POST");
  }

  @Test
  void anOversizedBodyIsRefusedWith413() throws Exception {
    String huge = "{\"name\":\"" + "x".repeat(ApiExchangeHandler.MAX_BODY_BYTES) + "\"}";

    var answer = hub.post("/api/v1/things", huge);

    assertThat(answer.status()).isEqualTo(413);
    assertThat(answer.json().path("error").asText()).isEqualTo("payload_too_large");
  }

  @Test
  void thingsAreCreatedShownChangedListedAndDeleted() throws Exception {
    // A new thing may only have an existing thing type (reference §9.1).
    assertThat(hub.post("/api/v1/thing-types", "{\"name\":\"sensor\"}").status()).isEqualTo(201);
    var created =
        hub.post(
            "/api/v1/things",
            "{\"name\":\"t1\",\"thingType\":\"sensor\",\"attributes\":{\"floor\":\"2\"}}");
    var patched =
        hub.send(
            "PATCH",
            "/api/v1/things/t1",
            Optional.of("{\"attributes\":{\"room\":\"k\"}}"),
            Optional.of(hub.token));
    var listed = hub.get("/api/v1/things");
    var deleted = hub.delete("/api/v1/things/t1");
    var gone = hub.get("/api/v1/things/t1");

    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().path("thingType").asText()).isEqualTo("sensor");
    assertThat(hub.events)
        .filteredOn(e -> e.subject().equals("t1"))
        .extracting(e -> e.actor())
        .isNotEmpty()
        .containsOnly("admin");
    assertThat(patched.status()).isEqualTo(200);
    assertThat(patched.json().path("attributes"))
        .isEqualTo(json.readTree("{\"floor\":\"2\",\"room\":\"k\"}"));
    assertThat(listed.json().path("things").get(0).path("name").asText()).isEqualTo("t1");
    assertThat(deleted.status()).isEqualTo(204);
    assertThat(gone.status()).isEqualTo(404);
    assertThat(gone.json().path("error").asText()).isEqualTo("not_found");
  }

  @Test
  void anInvalidThingNameIsABadRequestWithTheReason() throws Exception {
    var answer = hub.post("/api/v1/things", "{\"name\":\"no spaces/allowed\"}");

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.json().path("error").asText()).isEqualTo("invalid_request");
    assertThat(answer.json().path("message").asText()).isNotBlank();
  }

  @Test
  void aDuplicateThingIsAConflict() throws Exception {
    hub.post("/api/v1/things", "{\"name\":\"t1\"}");

    var answer = hub.post("/api/v1/things", "{\"name\":\"t1\"}");

    assertThat(answer.status()).isEqualTo(409);
    assertThat(answer.json().path("error").asText()).isEqualTo("conflict");
  }

  @Test
  void issuingWithoutCsrReturnsTheGeneratedKeyAndAttachesThingAndPolicy() throws Exception {
    hub.post("/api/v1/things", "{\"name\":\"t1\"}");
    hub.post("/api/v1/policies", policyBody("p1"));

    var issued =
        hub.post("/api/v1/certificates", "{\"thingName\":\"t1\",\"policyName\":\"p1\",\"days\":5}");

    assertThat(issued.status()).isEqualTo(201);
    String id = issued.json().path("certificateId").asText();
    X509Certificate certificate = parse(issued.json().path("certificatePem").asText());
    assertThat(id).isEqualTo(io.mamori.hub.pki.CertificateIds.of(certificate));
    assertThat(issued.json().path("privateKeyPem").asText()).contains("PRIVATE KEY");
    assertThat(issued.json().path("caCertificatesPem").asText())
        .isEqualTo(hub.authority.chainPem());
    var shown = hub.get("/api/v1/certificates/" + id);
    assertThat(shown.json().path("status").asText()).isEqualTo("ACTIVE");
    assertThat(shown.json().path("things").get(0).asText()).isEqualTo("t1");
    assertThat(shown.json().path("policies").get(0).asText()).isEqualTo("p1");
    assertThat(hub.get("/api/v1/things/t1").json().path("certificates").get(0).asText())
        .isEqualTo(id);
    assertThat(shown.json().path("pem").asText())
        .isEqualTo(issued.json().path("certificatePem").asText());
    var listed = hub.get("/api/v1/certificates").json().path("certificates").get(0);
    assertThat(listed.path("id").asText()).isEqualTo(id);
    assertThat(listed.has("pem")).isFalse();
  }

  @Test
  void issuingFromACsrReturnsNoKeyAndCertifiesTheCsrsKey() throws Exception {
    hub.post("/api/v1/things", "{\"name\":\"t2\"}");
    KeyPair keys = ecKeys();

    var issued =
        hub.post(
            "/api/v1/certificates",
            json.createObjectNode().put("thingName", "t2").put("csr", csr(keys)).toString());

    assertThat(issued.status()).isEqualTo(201);
    assertThat(issued.json().has("privateKeyPem")).isFalse();
    assertThat(parse(issued.json().path("certificatePem").asText()).getPublicKey())
        .isEqualTo(keys.getPublic());
  }

  @Test
  void aCsrWithAWeakKeyIsABadRequestWithTheCasReason() throws Exception {
    hub.post("/api/v1/things", "{\"name\":\"t3\"}");
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(1024);

    var answer =
        hub.post(
            "/api/v1/certificates",
            json.createObjectNode()
                .put("thingName", "t3")
                .put("csr", csr(rsa.generateKeyPair(), "SHA256withRSA"))
                .toString());

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.json().path("message").asText()).contains("CSR").contains("2048");
    assertThat(answer.body()).doesNotContain("at io.mamori");
  }

  @Test
  void revokingIsFinalAndShownInTheCertificate() throws Exception {
    hub.post("/api/v1/things", "{\"name\":\"t1\"}");
    String id = issue("t1");

    var revoked = hub.put("/api/v1/certificates/" + id + "/status", "{\"status\":\"REVOKED\"}");
    var reactivated = hub.put("/api/v1/certificates/" + id + "/status", "{\"status\":\"ACTIVE\"}");
    var bogus = hub.put("/api/v1/certificates/" + id + "/status", "{\"status\":\"SLEEPY\"}");

    assertThat(revoked.status()).isEqualTo(200);
    assertThat(revoked.json().path("status").asText()).isEqualTo("REVOKED");
    assertThat(reactivated.status()).isEqualTo(409);
    assertThat(bogus.status()).isEqualTo(400);
    assertThat(hub.get("/api/v1/certificates/" + id).json().path("status").asText())
        .isEqualTo("REVOKED");
  }

  @Test
  void anAttachedPolicyCannotBeDeleted() throws Exception {
    hub.post("/api/v1/things", "{\"name\":\"t1\"}");
    hub.post("/api/v1/policies", policyBody("p1"));
    String id = issue("t1");
    var attached =
        hub.post("/api/v1/policies/p1/attachments", "{\"certificateId\":\"" + id + "\"}");

    var refused = hub.delete("/api/v1/policies/p1");
    var targets = hub.get("/api/v1/policies/p1").json().path("targets");
    var detached = hub.delete("/api/v1/policies/p1/attachments/" + id);
    var deleted = hub.delete("/api/v1/policies/p1");

    assertThat(attached.status()).isEqualTo(204);
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.json().path("error").asText()).isEqualTo("conflict");
    assertThat(targets.get(0).asText()).isEqualTo(id);
    assertThat(detached.status()).isEqualTo(204);
    assertThat(deleted.status()).isEqualTo(204);
  }

  @Test
  void aPolicyWithASyntaxErrorIsRefusedWithTheParsersReason() throws Exception {
    String document =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Maybe\","
            + "\"Action\":\"iot:Publish\",\"Resource\":\"*\"}]}";

    var answer =
        hub.post(
            "/api/v1/policies",
            json.createObjectNode().put("name", "bad").put("document", document).toString());

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.json().path("error").asText()).isEqualTo("invalid_request");
    assertThat(answer.json().path("message").asText()).contains("Effect");
    assertThat(hub.get("/api/v1/policies/bad").status()).isEqualTo(404);
  }

  @Test
  void aPolicyTheRegistryRefusesIsABadRequestWithTheReason() throws Exception {
    var answer =
        hub.post(
            "/api/v1/policies",
            json.createObjectNode().put("name", "bad").put("document", "").toString());

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.json().path("error").asText()).isEqualTo("invalid_request");
    assertThat(answer.json().path("message").asText()).contains("empty");
  }

  @Test
  void aPolicyIsStoredVerbatimAndUpdatedAsANewVersion() throws Exception {
    var created = hub.post("/api/v1/policies", policyBody("p1"));
    var updated = hub.put("/api/v1/policies/p1", "{\"document\":" + POLICY + "}");

    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().path("document").asText()).isEqualTo(POLICY);
    assertThat(updated.status()).isEqualTo(200);
    assertThat(updated.json().path("defaultVersionId").asInt()).isEqualTo(2);
    assertThat(hub.get("/api/v1/policies").json().path("policies").get(0).has("document"))
        .isFalse();
  }

  @Test
  void authorizationTestPassesTheRequestToThePolicyTester() throws Exception {
    hub.post("/api/v1/things", "{\"name\":\"t1\"}");
    String id = issue("t1");

    var answer =
        hub.post(
            "/api/v1/authorization/test",
            "{\"certificateId\":\""
                + id
                + "\",\"action\":\"iot:Publish\",\"resource\":\"topic/a/b\",\"clientId\":\"c1\"}");
    var badAction =
        hub.post(
            "/api/v1/authorization/test",
            "{\"certificateId\":\"" + id + "\",\"action\":\"iot:Fly\",\"resource\":\"topic/a\"}");
    var unknownCert =
        hub.post(
            "/api/v1/authorization/test",
            "{\"certificateId\":\""
                + "a".repeat(64)
                + "\",\"action\":\"iot:Publish\",\"resource\":\"topic/a\"}");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.json())
        .isEqualTo(
            json.readTree(
                "{\"allowed\":true,\"decision\":\"allow\",\"policyName\":\"p\",\"statementIndex\":0,"
                    + "\"resource\":\"arn:aws:iot:local:000000000000:topic/a/b\","
                    + "\"explanation\":\"statement 0 of policy p allows iot:Publish\"}"));
    assertThat(hub.testerCalls.get(0)).containsExactly(id, "iot:Publish", "topic/a/b", "c1");
    assertThat(badAction.status()).isEqualTo(400);
    assertThat(unknownCert.status()).isEqualTo(404);
  }

  private String issue(String thing) throws Exception {
    return hub.post("/api/v1/certificates", "{\"thingName\":\"" + thing + "\"}")
        .json()
        .path("certificateId")
        .asText();
  }

  private static String policyBody(String name) {
    return new ObjectMapper()
        .createObjectNode()
        .put("name", name)
        .put("document", POLICY)
        .toString();
  }

  private static X509Certificate parse(String pem) throws Exception {
    return (X509Certificate)
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new java.io.ByteArrayInputStream(pem.getBytes()));
  }

  static KeyPair ecKeys() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  static String csr(KeyPair keys) throws Exception {
    return csr(keys, "SHA256withECDSA");
  }

  static String csr(KeyPair keys, String algorithm) throws Exception {
    var request =
        new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=device"), keys.getPublic())
            .build(new JcaContentSignerBuilder(algorithm).build(keys.getPrivate()));
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(request);
    }
    return text.toString();
  }
}
