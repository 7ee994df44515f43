package io.mamori.agent.credentials;

import java.nio.file.Path;

/**
 * The files a device connects with: its certificate (PEM, optionally followed by its chain), its
 * private key (PEM: PKCS#8, SEC1 EC or PKCS#1 RSA) and the CA file it trusts the hub with.
 */
public record DeviceCredentials(Path certificateFile, Path keyFile, Path caFile) {
  /** The same CA with another certificate and key. */
  public DeviceCredentials with(Path certificate, Path key) {
    return new DeviceCredentials(certificate, key, caFile);
  }
}
