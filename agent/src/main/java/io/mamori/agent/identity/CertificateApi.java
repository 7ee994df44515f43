package io.mamori.agent.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import io.mamori.agent.AgentException;
import io.mamori.agent.connection.RequestResponse;
import java.io.IOException;
import java.util.Map;

/**
 * The device side of AWS IoT's certificate API (reference §1.1, §1.2): CreateKeysAndCertificate and
 * CreateCertificateFromCsr over {@code $aws/certificates/...}, in JSON or CBOR.
 */
public final class CertificateApi {
  /** Payload encoding, named by the last level of the request topic. */
  public enum Format {
    JSON(new ObjectMapper()),
    CBOR(new CBORMapper());

    private final ObjectMapper mapper;

    Format(ObjectMapper mapper) {
      this.mapper = mapper;
    }

    String level() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    ObjectMapper mapper() {
      return mapper;
    }
  }

  /** An accepted answer; {@code privateKeyPem} is present only when the hub made the key. */
  public record IssuedCertificate(
      String certificateId,
      String certificatePem,
      java.util.Optional<String> privateKeyPem,
      String certificateOwnershipToken) {}

  /** A {@code .../rejected} answer: the hub refused the request. */
  public static final class RejectedException extends AgentException {
    private final int statusCode;
    private final String errorCode;

    public RejectedException(int statusCode, String errorCode, String errorMessage) {
      super("rejected by the hub: " + statusCode + " " + errorCode + ": " + errorMessage);
      this.statusCode = statusCode;
      this.errorCode = errorCode;
    }

    public int statusCode() {
      return statusCode;
    }

    public String errorCode() {
      return errorCode;
    }
  }

  private final RequestResponse requests;
  private final Format format;

  public CertificateApi(RequestResponse requests, Format format) {
    this.requests = requests;
    this.format = format;
  }

  /** CreateCertificateFromCsr: the hub signs the device's CSR; the key never leaves the device. */
  public IssuedCertificate createFromCsr(String csrPem) {
    byte[] request = encode(Map.of("certificateSigningRequest", csrPem));
    return answer(requests.request("$aws/certificates/create-from-csr/" + format.level(), request));
  }

  /** CreateKeysAndCertificate: the hub generates the key pair and returns the private key. */
  public IssuedCertificate createKeysAndCertificate() {
    return answer(requests.request("$aws/certificates/create/" + format.level(), encode(Map.of())));
  }

  byte[] encode(Map<String, String> request) {
    try {
      return format.mapper.writeValueAsBytes(request);
    } catch (IOException e) {
      throw new AgentException("cannot encode request: " + e.getMessage(), e);
    }
  }

  IssuedCertificate answer(RequestResponse.Answer answer) {
    JsonNode body;
    try {
      body = format.mapper.readTree(answer.payload());
    } catch (IOException e) {
      throw new AgentException(
          "answer on " + answer.topic() + " is not " + format + ": " + e.getMessage(), e);
    }
    if (body == null || !body.isObject()) {
      throw new AgentException("answer on " + answer.topic() + " is not a " + format + " object");
    }
    if (!answer.accepted()) {
      throw new RejectedException(
          body.path("statusCode").asInt(0),
          body.path("errorCode").asText("unknown"),
          body.path("errorMessage").asText(""));
    }
    return new IssuedCertificate(
        required(body, "certificateId", answer),
        required(body, "certificatePem", answer),
        java.util.Optional.ofNullable(body.get("privateKey")).map(JsonNode::asText),
        required(body, "certificateOwnershipToken", answer));
  }

  private static String required(JsonNode body, String field, RequestResponse.Answer answer) {
    JsonNode value = body.get(field);
    if (value == null || !value.isTextual() || value.asText().isEmpty()) {
      throw new AgentException("answer on " + answer.topic() + " lacks " + field);
    }
    return value.asText();
  }
}
