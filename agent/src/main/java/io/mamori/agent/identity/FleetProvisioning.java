package io.mamori.agent.identity;

import com.fasterxml.jackson.databind.JsonNode;
import io.mamori.agent.AgentException;
import io.mamori.agent.connection.DeviceConnection;
import io.mamori.agent.connection.Endpoint;
import io.mamori.agent.connection.RequestResponse;
import io.mamori.agent.credentials.CredentialFiles;
import io.mamori.agent.credentials.DeviceCredentials;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Fleet provisioning by claim (reference §1.1-§1.3), device side: connected with the fleet's claim
 * certificate, the device sends a CSR for a key it generated ({@code create-from-csr}), registers
 * itself with a provisioning template ({@code RegisterThing}) using the ownership token, stores its
 * own certificate and key (mode 0600), then drops the claim session and reconnects with its own
 * certificate, as the reference says a device must.
 */
public final class FleetProvisioning {
  /** What the device got. */
  public record Result(
      String thingName,
      String certificateId,
      Map<String, String> deviceConfiguration,
      DeviceCredentials credentials) {}

  private final Endpoint endpoint;
  private final String claimClientId;
  private final Duration timeout;
  private final CertificateApi.Format format;
  private final Consumer<String> progress;

  public FleetProvisioning(
      Endpoint endpoint,
      String claimClientId,
      Duration timeout,
      CertificateApi.Format format,
      Consumer<String> progress) {
    this.endpoint = endpoint;
    this.claimClientId = claimClientId;
    this.timeout = timeout;
    this.format = format;
    this.progress = progress;
  }

  /**
   * Provisions the device; the new credentials go to {@code outDir/device.crt} and {@code
   * outDir/device.key}, and the thing name is the client id of the final connection.
   */
  public Result provision(
      DeviceCredentials claim, String template, Map<String, String> parameters, Path outDir) {
    KeyAndCsr fresh = KeyAndCsr.generateP256(claimClientId);
    CertificateApi.IssuedCertificate issued;
    JsonNode registered;
    try (DeviceConnection connection =
        DeviceConnection.open(endpoint, claim, claimClientId, timeout)) {
      progress.accept("connected with the claim certificate; sending a CSR");
      issued = new CertificateApi(connection.requests(), format).createFromCsr(fresh.csrPem());
      CertificateRotation.checkMatches(issued, fresh);
      progress.accept("certificate " + issued.certificateId() + " issued; registering the thing");
      registered = registerThing(connection.requests(), template, issued, parameters);
    }
    JsonNode thing = registered.get("thingName");
    if (thing == null || !thing.isTextual() || thing.asText().isEmpty()) {
      throw new AgentException("RegisterThing answer lacks thingName (the template has no thing)");
    }
    String thingName = thing.asText();
    var credentials =
        new DeviceCredentials(
            outDir.resolve("device.crt"), outDir.resolve("device.key"), claim.caFile());
    CredentialFiles.writeAtomically(credentials.keyFile(), fresh.privateKeyPem());
    CredentialFiles.writeAtomically(credentials.certificateFile(), issued.certificatePem());
    progress.accept("credentials written to " + outDir + "; reconnecting as " + thingName);
    try (DeviceConnection own = DeviceConnection.open(endpoint, credentials, thingName, timeout)) {
      progress.accept("connected with the device's own certificate");
    }
    var configuration = new LinkedHashMap<String, String>();
    registered
        .path("deviceConfiguration")
        .fields()
        .forEachRemaining(f -> configuration.put(f.getKey(), f.getValue().asText()));
    return new Result(thingName, issued.certificateId(), configuration, credentials);
  }

  private JsonNode registerThing(
      RequestResponse requests,
      String template,
      CertificateApi.IssuedCertificate issued,
      Map<String, String> parameters) {
    var request = format.mapper().createObjectNode();
    request.put("certificateOwnershipToken", issued.certificateOwnershipToken());
    var params = request.putObject("parameters");
    parameters.forEach(params::put);
    byte[] payload;
    try {
      payload = format.mapper().writeValueAsBytes(request);
    } catch (IOException e) {
      throw new AgentException("cannot encode RegisterThing: " + e.getMessage(), e);
    }
    RequestResponse.Answer answer =
        requests.request(
            "$aws/provisioning-templates/" + template + "/provision/" + format.level(), payload);
    JsonNode body;
    try {
      body = format.mapper().readTree(answer.payload());
    } catch (IOException e) {
      throw new AgentException("answer on " + answer.topic() + " is not " + format, e);
    }
    if (body == null || !body.isObject()) {
      throw new AgentException("answer on " + answer.topic() + " is not a " + format + " object");
    }
    if (!answer.accepted()) {
      throw new CertificateApi.RejectedException(
          body.path("statusCode").asInt(0),
          body.path("errorCode").asText("unknown"),
          body.path("errorMessage").asText(""));
    }
    return body;
  }
}
