package io.mamori.agent.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import io.mamori.agent.AgentException;
import io.mamori.agent.connection.RequestResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The agent's side of the certificate API payloads (reference §1.2), JSON and CBOR. */
class CertificateApiTest {
  private static final String TOPIC = "$aws/certificates/create-from-csr/json/accepted";

  private static CertificateApi api(CertificateApi.Format format) {
    return new CertificateApi(null, format); // codec only: no request is sent
  }

  @Test
  void csrRequestHasTheAwsKeyInBothFormats() throws Exception {
    byte[] json = api(CertificateApi.Format.JSON).encode(Map.of("certificateSigningRequest", "X"));
    assertThat(new String(json, StandardCharsets.UTF_8))
        .isEqualTo("{\"certificateSigningRequest\":\"X\"}");
    byte[] cbor = api(CertificateApi.Format.CBOR).encode(Map.of("certificateSigningRequest", "X"));
    assertThat(new CBORMapper().readTree(cbor).get("certificateSigningRequest").asText())
        .isEqualTo("X");
  }

  @Test
  void acceptedAnswersAreReadInBothFormatsIgnoringExtraKeys() throws Exception {
    var body = new LinkedHashMap<String, Object>();
    body.put("certificateOwnershipToken", "tok");
    body.put("certificateId", "id");
    body.put("certificatePem", "pem");
    body.put("somethingNew", 1);
    for (var format : CertificateApi.Format.values()) {
      byte[] payload =
          format == CertificateApi.Format.JSON
              ? new ObjectMapper().writeValueAsBytes(body)
              : new CBORMapper().writeValueAsBytes(body);
      var issued = api(format).answer(new RequestResponse.Answer(true, TOPIC, payload));
      assertThat(issued.certificateId()).isEqualTo("id");
      assertThat(issued.certificatePem()).isEqualTo("pem");
      assertThat(issued.certificateOwnershipToken()).isEqualTo("tok");
      assertThat(issued.privateKeyPem()).isEmpty();
    }
  }

  @Test
  void rejectedAnswerBecomesAnExceptionWithTheHubsReason() throws Exception {
    byte[] payload =
        new CBORMapper()
            .writeValueAsBytes(
                Map.of("statusCode", 400, "errorCode", "InvalidCsr", "errorMessage", "bad"));
    assertThatThrownBy(
            () ->
                api(CertificateApi.Format.CBOR)
                    .answer(new RequestResponse.Answer(false, TOPIC, payload)))
        .isInstanceOfSatisfying(
            CertificateApi.RejectedException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(400);
              assertThat(e.errorCode()).isEqualTo("InvalidCsr");
              assertThat(e.getMessage()).isEqualTo("rejected by the hub: 400 InvalidCsr: bad");
            });
  }

  @Test
  void malformedOrIncompleteAnswersAreNamed() {
    assertThatThrownBy(
            () ->
                api(CertificateApi.Format.JSON)
                    .answer(
                        new RequestResponse.Answer(
                            true, TOPIC, "{\"certificateId\":\"x\"}".getBytes())))
        .isInstanceOf(AgentException.class)
        .hasMessage("answer on " + TOPIC + " lacks certificatePem");
    assertThatThrownBy(
            () ->
                api(CertificateApi.Format.JSON)
                    .answer(new RequestResponse.Answer(true, TOPIC, "not json".getBytes())))
        .hasMessageStartingWith("answer on " + TOPIC + " is not JSON");
  }

  @Test
  void generatedCsrCarriesTheNewP256Key() {
    KeyAndCsr fresh = KeyAndCsr.generateP256("sensor-1");
    assertThat(fresh.privateKeyPem()).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(fresh.csrPem()).startsWith("-----BEGIN CERTIFICATE REQUEST-----");
    assertThat(CsrKeys.publicKeyOf(fresh.csrPem()).getAlgorithm()).isEqualTo("EC");
  }
}
