package io.mamori.hub.api;

import io.mamori.hub.pki.TlsIdentity;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** Builds the admin API's server {@link SSLContext} from the hub's TLS identity, in memory only. */
final class ServerTls {
  /** TLS 1.2 and 1.3 only: older versions have known weaknesses (RFC 8996 deprecates 1.0/1.1). */
  static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  private ServerTls() {}

  static SSLContext context(TlsIdentity identity) {
    try {
      // The key store never touches disk; its password only satisfies the KeyStore API.
      char[] password = new char[0];
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(
          "hub", identity.privateKey(), password, identity.chain().toArray(new X509Certificate[0]));
      KeyManagerFactory keys =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, password);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, new SecureRandom());
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build the admin API's TLS context", e);
    }
  }
}
