package io.mamori.hub.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/** A private key with its certificate chain, leaf first: what a TLS server presents. */
public record TlsIdentity(PrivateKey privateKey, List<X509Certificate> chain) {
  public TlsIdentity {
    chain = List.copyOf(chain);
  }
}
