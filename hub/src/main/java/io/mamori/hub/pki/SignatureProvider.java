package io.mamori.hub.pki;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Security;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Optional;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JCA provider that makes and checks the CA's signatures with software keys (device
 * certificates, CSR self-signatures). Bulk issuance is bound by ECDSA P-256: Conscrypt (BoringSSL
 * through JNI) does it several times faster than BouncyCastle's pure-Java arithmetic, so it is
 * preferred; where its native library does not load (a platform it has no build for), the CA falls
 * back to BouncyCastle and says so in the log. Keys in a PKCS#11 token never come here.
 *
 * @param name what the log and the benchmarks call it
 * @param provider a provider instance of this CA's own; none is registered JVM-wide
 */
public record SignatureProvider(String name, Provider provider) {
  private static final Logger LOG = LoggerFactory.getLogger(SignatureProvider.class);

  /** BouncyCastle, pure Java: always available. */
  public static SignatureProvider bouncyCastle() {
    return new SignatureProvider("BouncyCastle", new BouncyCastleProvider());
  }

  /** Conscrypt when its native library loads and passes a self-test, else BouncyCastle. */
  public static SignatureProvider preferred() {
    return preferred(SignatureProvider::conscrypt);
  }

  /**
   * The name of a registered native provider for signature checks that take a provider by name only
   * (PKIX path validation), or empty where Conscrypt does not load (the JDK's own provider is then
   * the fastest). Conscrypt is added JVM-wide at the lowest priority, so no algorithm that another
   * provider offers changes hands; only callers that ask for it by name use it.
   */
  public static Optional<String> registeredForVerification() {
    try {
      org.conscrypt.Conscrypt.checkAvailability();
      Provider provider = org.conscrypt.Conscrypt.newProvider();
      selfTest(provider);
      synchronized (SignatureProvider.class) {
        if (Security.getProvider(provider.getName()) == null) {
          Security.addProvider(provider);
        }
      }
      return Optional.of(provider.getName());
    } catch (LinkageError | RuntimeException | GeneralSecurityException e) {
      LOG.warn(
          "certificate check provider=JDK reason=\"Conscrypt unavailable; device handshakes are"
              + " slower\" cause=\"{}\"",
          e.toString());
      return Optional.empty();
    }
  }

  /** Loads a native provider; may fail in the ways {@link #preferred(NativeLoader)} handles. */
  interface NativeLoader {
    SignatureProvider load() throws GeneralSecurityException;
  }

  static SignatureProvider preferred(NativeLoader nativeProvider) {
    try {
      SignatureProvider conscrypt = nativeProvider.load();
      LOG.info("CA signature provider provider=\"{}\"", conscrypt.name());
      return conscrypt;
    } catch (LinkageError | RuntimeException | GeneralSecurityException e) {
      // LinkageError: UnsatisfiedLinkError from the native library (no build for this platform),
      // NoClassDefFoundError if the jar is missing. BouncyCastle signs the same certificates.
      LOG.warn(
          "CA signature provider provider=BouncyCastle reason=\"Conscrypt unavailable, falling"
              + " back; bulk issuance is several times slower\" cause=\"{}\"",
          e.toString());
      return bouncyCastle();
    }
  }

  private static SignatureProvider conscrypt() throws GeneralSecurityException {
    // Throws UnsatisfiedLinkError naming the cause when the native library did not load.
    org.conscrypt.Conscrypt.checkAvailability();
    Provider provider = org.conscrypt.Conscrypt.newProvider();
    selfTest(provider);
    var version = org.conscrypt.Conscrypt.version();
    return new SignatureProvider(
        "Conscrypt " + version.major() + "." + version.minor() + "." + version.patch(), provider);
  }

  /** A provider that loads but cannot sign and verify P-256 is of no use: find out at start. */
  private static void selfTest(Provider provider) throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", provider);
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair keys = generator.generateKeyPair();
    byte[] message = "mamori self-test".getBytes(StandardCharsets.US_ASCII);
    Signature signer = Signature.getInstance("SHA256withECDSA", provider);
    signer.initSign(keys.getPrivate());
    signer.update(message);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance("SHA256withECDSA", provider);
    verifier.initVerify(keys.getPublic());
    verifier.update(message);
    if (!verifier.verify(signature)) {
      throw new GeneralSecurityException("self-test signature does not verify");
    }
  }

  /**
   * {@code key} in this provider's own form when it is a software (PKCS#8) EC or RSA key, so that
   * signing does not convert it again for every certificate; any other key (PKCS#11) unchanged.
   */
  public PrivateKey prepare(PrivateKey key) {
    if (!signsWith(key)) {
      return key;
    }
    try {
      return KeyFactory.getInstance(key.getAlgorithm(), provider)
          .generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new CertificateAuthorityException(
          name + " cannot load the CA's " + key.getAlgorithm() + " key: " + e.getMessage(), e);
    }
  }

  /** Whether this provider signs with {@code key}: software EC and RSA keys, not token keys. */
  public boolean signsWith(PrivateKey key) {
    return ("EC".equals(key.getAlgorithm()) || "RSA".equals(key.getAlgorithm()))
        && "PKCS#8".equals(key.getFormat());
  }
}
