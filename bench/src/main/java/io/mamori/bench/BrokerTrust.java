package io.mamori.bench;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The devices' check of the broker's certificate: the JDK's PKIX trust manager for the given CA
 * chain, usable from Conscrypt's engine. Conscrypt names the TLS 1.3 key exchange "GENERIC", which
 * the JDK's trust manager refuses as an unknown authType; the JDK itself says "UNKNOWN" for TLS
 * 1.3, so that is what the JDK manager is given.
 */
final class BrokerTrust extends X509ExtendedTrustManager {
  private final X509ExtendedTrustManager pkix;

  BrokerTrust(List<X509Certificate> caChain) throws GeneralSecurityException {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      for (int i = 0; i < caChain.size(); i++) {
        store.setCertificateEntry("ca" + i, caChain.get(i));
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      this.pkix = (X509ExtendedTrustManager) factory.getTrustManagers()[0];
    } catch (java.io.IOException e) {
      throw new GeneralSecurityException("cannot build the broker trust store", e);
    }
  }

  private static String jdkName(String authType) {
    return "GENERIC".equals(authType) ? "UNKNOWN" : authType;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    pkix.checkServerTrusted(chain, jdkName(authType), engine);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    pkix.checkServerTrusted(chain, jdkName(authType), socket);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    pkix.checkServerTrusted(chain, jdkName(authType));
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    throw new CertificateException("devices do not accept client certificates");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    throw new CertificateException("devices do not accept client certificates");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    throw new CertificateException("devices do not accept client certificates");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return pkix.getAcceptedIssuers();
  }
}
