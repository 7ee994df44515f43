package io.mamori.hub.mqtt;

import io.mamori.hub.pki.TlsIdentity;
import java.math.BigInteger;
import java.net.Socket;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throwaway test CA (EC P-256) issuing a server certificate for localhost and client certificates
 * whose common name is the principal id; independent of the real {@code pki}.
 */
public final class TestPki {
  private static final char[] PASSWORD = "test".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();
  private final KeyPair caKeys;
  private final X509Certificate caCert;

  public TestPki(String caName) {
    try {
      caKeys = newKeys();
      var name = new X500Name("CN=" + caName);
      var builder = builder(name, name, caKeys);
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      builder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      caCert = sign(builder, caKeys);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public X509Certificate caCertificate() {
    return caCert;
  }

  /** Server identity for localhost / 127.0.0.1. */
  public TlsIdentity serverIdentity() {
    try {
      KeyPair keys = newKeys();
      var builder = builder(new X500Name("CN=localhost"), caSubject(), keys);
      builder.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(
              new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1")
              }));
      builder.addExtension(
          Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      return new TlsIdentity(keys.getPrivate(), List.of(sign(builder, caKeys), caCert));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A client identity whose certificate common name is {@code commonName}. */
  public TlsIdentity clientIdentity(String commonName) {
    try {
      KeyPair keys = newKeys();
      var builder = builder(new X500Name("CN=" + commonName), caSubject(), keys);
      builder.addExtension(
          Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
      return new TlsIdentity(keys.getPrivate(), List.of(sign(builder, caKeys), caCert));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Trusts certificates issued by this CA (PKIX). */
  public X509TrustManager trustManager() {
    return (X509TrustManager) trustManagerFactory().getTrustManagers()[0];
  }

  public TrustManagerFactory trustManagerFactory() {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setCertificateEntry("ca", caCert);
      var factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      return factory;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static KeyManagerFactory keyManagerFactory(TlsIdentity identity) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(
          "key", identity.privateKey(), PASSWORD, identity.chain().toArray(X509Certificate[]::new));
      var factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(store, PASSWORD);
      return factory;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A JSSE client context presenting {@code identity} (or none) and trusting this CA. */
  public SSLContext clientContext(TlsIdentity identity) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(
          identity == null ? null : keyManagerFactory(identity).getKeyManagers(),
          trustManagerFactory().getTrustManagers(),
          RANDOM);
      return context;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Like {@link #clientContext} but the client presents its certificate even when the server's list
   * of acceptable issuers does not contain its CA (as a misconfigured or hostile device would), so
   * that the server's own verification is what refuses it.
   */
  public SSLContext clientContextAlwaysPresenting(TlsIdentity identity) {
    try {
      var delegate = (X509KeyManager) keyManagerFactory(identity).getKeyManagers()[0];
      var always =
          new X509ExtendedKeyManager() {
            @Override
            public String[] getClientAliases(String keyType, Principal[] issuers) {
              return new String[] {"key"};
            }

            @Override
            public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket s) {
              return "key";
            }

            @Override
            public String chooseEngineClientAlias(
                String[] keyType, Principal[] issuers, SSLEngine engine) {
              return "key";
            }

            @Override
            public String[] getServerAliases(String keyType, Principal[] issuers) {
              return null;
            }

            @Override
            public String chooseServerAlias(String keyType, Principal[] issuers, Socket s) {
              return null;
            }

            @Override
            public X509Certificate[] getCertificateChain(String alias) {
              return delegate.getCertificateChain(alias);
            }

            @Override
            public PrivateKey getPrivateKey(String alias) {
              return delegate.getPrivateKey(alias);
            }
          };
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(new KeyManager[] {always}, trustManagerFactory().getTrustManagers(), RANDOM);
      return context;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private X500Name caSubject() {
    return X500Name.getInstance(caCert.getSubjectX500Principal().getEncoded());
  }

  private static KeyPair newKeys() throws Exception {
    var generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  private static X509v3CertificateBuilder builder(X500Name subject, X500Name issuer, KeyPair keys) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(
        issuer,
        new BigInteger(64, RANDOM).add(BigInteger.ONE),
        Date.from(now.minus(Duration.ofMinutes(5))),
        Date.from(now.plus(Duration.ofDays(1))),
        subject,
        keys.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer)
      throws Exception {
    var holder =
        builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate()));
    return new JcaX509CertificateConverter().getCertificate(holder);
  }
}
