package io.mamori.hub.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PayloadFormatTest {
  private static final String CSR =
      "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n";

  @Test
  void topicLevelsNameTheFormats() {
    assertThat(PayloadFormat.fromTopicLevel("json")).contains(PayloadFormat.JSON);
    assertThat(PayloadFormat.fromTopicLevel("cbor")).contains(PayloadFormat.CBOR);
    assertThat(PayloadFormat.fromTopicLevel("JSON")).isEmpty();
    assertThat(PayloadFormat.fromTopicLevel("xml")).isEmpty();
  }

  @Test
  void jsonRequestWithExtraFieldsIsRead() {
    byte[] payload =
        ("{\"certificateSigningRequest\":"
                + new ObjectMapper().valueToTree(CSR)
                + ",\"templateName\":\"t\",\"extra\":{\"a\":1}}")
            .getBytes(StandardCharsets.UTF_8);
    JsonNode request = PayloadFormat.JSON.readRequest(payload);
    assertThat(PayloadFormat.requiredText(request, "certificateSigningRequest")).isEqualTo(CSR);
  }

  @Test
  void cborRequestIsAMapWithTextKeys() throws Exception {
    byte[] payload =
        new CBORMapper()
            .writeValueAsBytes(Map.of("certificateSigningRequest", CSR, "thingName", "x"));
    JsonNode request = PayloadFormat.CBOR.readRequest(payload);
    assertThat(PayloadFormat.requiredText(request, "certificateSigningRequest")).isEqualTo(CSR);
  }

  @Test
  void emptyPayloadIsAnEmptyRequest() {
    assertThat(PayloadFormat.JSON.readRequest(new byte[0]).isEmpty()).isTrue();
    assertThat(PayloadFormat.CBOR.readRequest(new byte[0]).isEmpty()).isTrue();
  }

  @Test
  void malformedPayloadsAreRejectedWithTheReason() {
    assertThatThrownBy(() -> PayloadFormat.JSON.readRequest("{not json".getBytes()))
        .isInstanceOfSatisfying(
            IdentityApiException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(400);
              assertThat(e.errorCode()).isEqualTo("InvalidPayload");
              assertThat(e.getMessage()).startsWith("payload is not valid JSON");
            });
    assertThatThrownBy(() -> PayloadFormat.JSON.readRequest("[1,2]".getBytes()))
        .hasMessageContaining("must be a JSON object");
    assertThatThrownBy(() -> PayloadFormat.CBOR.readRequest(new byte[] {(byte) 0xff, 0x01}))
        .hasMessageStartingWith("payload is not valid CBOR");
  }

  @Test
  void missingOrEmptyFieldsAreNamed() {
    JsonNode empty = PayloadFormat.JSON.readRequest("{}".getBytes());
    assertThatThrownBy(() -> PayloadFormat.requiredText(empty, "certificateSigningRequest"))
        .hasMessage("certificateSigningRequest is missing");
    JsonNode number =
        PayloadFormat.JSON.readRequest("{\"certificateSigningRequest\":5}".getBytes());
    assertThatThrownBy(() -> PayloadFormat.requiredText(number, "certificateSigningRequest"))
        .hasMessage("certificateSigningRequest must be a non-empty string");
  }

  @Test
  void responsesUseAwsKeysInJson() throws Exception {
    byte[] json =
        PayloadFormat.JSON.write(
            new IdentityMessages.CreateKeysAndCertificateResponse("id", "pem", "key", "tok"));
    assertThat(new String(json, StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"certificateId\":\"id\",\"certificatePem\":\"pem\",\"privateKey\":\"key\","
                + "\"certificateOwnershipToken\":\"tok\"}");
    byte[] rejected =
        PayloadFormat.JSON.write(new IdentityMessages.ErrorResponse(400, "InvalidCsr", "bad"));
    assertThat(new String(rejected, StandardCharsets.UTF_8))
        .isEqualTo("{\"statusCode\":400,\"errorCode\":\"InvalidCsr\",\"errorMessage\":\"bad\"}");
  }

  @Test
  void responsesAreCborMapsWithTextKeys() throws Exception {
    byte[] cbor =
        PayloadFormat.CBOR.write(
            new IdentityMessages.CreateCertificateFromCsrResponse("tok", "id", "pem"));
    // 0xa3: a CBOR map of three pairs (RFC 8949 major type 5), keys as text strings
    assertThat(cbor[0]).isEqualTo((byte) 0xa3);
    JsonNode back = new CBORMapper().readTree(cbor);
    assertThat(back.get("certificateOwnershipToken").isTextual()).isTrue();
    assertThat(back.get("certificateOwnershipToken").asText()).isEqualTo("tok");
    assertThat(back.get("certificateId").asText()).isEqualTo("id");
    assertThat(back.get("certificatePem").asText()).isEqualTo("pem");
    JsonNode error =
        new CBORMapper()
            .readTree(PayloadFormat.CBOR.write(new IdentityMessages.ErrorResponse(403, "A", "b")));
    assertThat(error.get("statusCode").isInt()).isTrue();
    assertThat(error.get("statusCode").asInt()).isEqualTo(403);
  }
}
