package io.mamori.hub.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.mamori.hub.pki.CsrRejectedException;
import io.mamori.hub.pki.CsrVerifier;
import io.mamori.hub.pki.Pem;
import io.mamori.hub.pki.PemFormatException;
import java.nio.charset.StandardCharsets;

/**
 * PEM text from outside: CSRs devices and operators send, certificates operators register.
 * Contract: {@link CsrVerifier#verify} returns a key or throws {@link CsrRejectedException}; {@link
 * Pem} returns certificates/keys or throws {@link PemFormatException}.
 */
class PkiParsingFuzzTest {
  private static final CsrVerifier CSR = new CsrVerifier();

  @FuzzTest(maxDuration = "5m")
  void csr(byte[] input) {
    try {
      CSR.verify(new String(input, StandardCharsets.UTF_8));
    } catch (CsrRejectedException expected) {
      // a clear refusal
    }
  }

  @FuzzTest(maxDuration = "5m")
  void certificates(byte[] input) {
    String pem = new String(input, StandardCharsets.UTF_8);
    try {
      Pem.parseCertificates(pem);
    } catch (PemFormatException expected) {
      // a clear refusal
    }
    try {
      Pem.parsePrivateKey(pem);
    } catch (PemFormatException expected) {
      // a clear refusal
    }
  }
}
