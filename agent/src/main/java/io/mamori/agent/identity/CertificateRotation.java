package io.mamori.agent.identity;

import io.mamori.agent.AgentException;
import io.mamori.agent.connection.DeviceConnection;
import io.mamori.agent.connection.Endpoint;
import io.mamori.agent.credentials.CertificateIds;
import io.mamori.agent.credentials.CredentialFiles;
import io.mamori.agent.credentials.DeviceCredentials;
import io.mamori.agent.credentials.PemFiles;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Rotates a device's certificate the AWS way (reference §6.4): connected with its current
 * certificate, the device generates a new key, sends a CSR to {@code
 * $aws/certificates/create-from-csr/<fmt>}, stages the new pair beside the current files,
 * reconnects with it, and only then replaces the current files. Until the new certificate has
 * connected the old pair stays in place, so a failure at any step leaves a device that still
 * connects; a staged pair left by an interrupted run is tried first on the next run.
 */
public final class CertificateRotation {
  /** What a rotation achieved. */
  public record Result(String certificateId, boolean resumed, DeviceCredentials credentials) {}

  private final Endpoint endpoint;
  private final String clientId;
  private final Duration timeout;
  private final CertificateApi.Format format;
  private final Consumer<String> progress;

  public CertificateRotation(
      Endpoint endpoint,
      String clientId,
      Duration timeout,
      CertificateApi.Format format,
      Consumer<String> progress) {
    this.endpoint = endpoint;
    this.clientId = clientId;
    this.timeout = timeout;
    this.format = format;
    this.progress = progress;
  }

  /** Rotates {@code current}; on success its files hold the new certificate and key. */
  public Result rotate(DeviceCredentials current) {
    Optional<Result> resumed = resumeStaged(current);
    if (resumed.isPresent()) {
      return resumed.get();
    }
    KeyAndCsr fresh = KeyAndCsr.generateP256(clientId);
    CertificateApi.IssuedCertificate issued;
    try (DeviceConnection old = DeviceConnection.open(endpoint, current, clientId, timeout)) {
      progress.accept("connected with the current certificate; requesting a new one");
      issued = new CertificateApi(old.requests(), format).createFromCsr(fresh.csrPem());
    }
    checkMatches(issued, fresh);
    DeviceCredentials staged =
        CredentialFiles.stage(current, issued.certificatePem(), fresh.privateKeyPem());
    progress.accept(
        "new certificate " + issued.certificateId() + " staged in " + staged.certificateFile());
    try (DeviceConnection fresher = DeviceConnection.open(endpoint, staged, clientId, timeout)) {
      progress.accept("connected with the new certificate");
    } catch (AgentException e) {
      throw new AgentException(
          e.getMessage()
              + "; the current credentials are unchanged and the new ones stay staged in "
              + staged.certificateFile()
              + " for the next run",
          e);
    }
    CredentialFiles.commit(current);
    return new Result(issued.certificateId(), false, current);
  }

  /** A pair staged by an interrupted run: install it if it connects, else throw it away. */
  private Optional<Result> resumeStaged(DeviceCredentials current) {
    Optional<DeviceCredentials> staged = CredentialFiles.findStaged(current);
    if (staged.isEmpty()) {
      return Optional.empty();
    }
    progress.accept("trying the new credentials staged by an earlier run");
    try (DeviceConnection connection =
        DeviceConnection.open(endpoint, staged.get(), clientId, timeout)) {
      progress.accept("connected with the staged certificate");
    } catch (AgentException e) {
      progress.accept("staged credentials do not connect (" + e.getMessage() + "); discarded");
      CredentialFiles.discardStaged(current);
      return Optional.empty();
    }
    String id = CertificateIds.of(PemFiles.certificates(staged.get().certificateFile()).get(0));
    CredentialFiles.commit(current);
    return Optional.of(new Result(id, true, current));
  }

  /** The hub must have certified the key this device generated, not some other key. */
  static void checkMatches(CertificateApi.IssuedCertificate issued, KeyAndCsr fresh) {
    var certificate = PemFiles.certificate(issued.certificatePem());
    var csr = fresh.csrPem();
    var keyFromCsr = CsrKeys.publicKeyOf(csr);
    if (!certificate.getPublicKey().equals(keyFromCsr)) {
      throw new AgentException(
          "the hub returned certificate " + issued.certificateId() + " for another public key");
    }
  }
}
