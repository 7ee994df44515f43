package io.mamori.hub.pki;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Why a certificate was revoked: the RFC 5280 §5.3.1 CRLReason codes that fit a final revocation.
 * certificateHold (6) and removeFromCRL (8) are left out on purpose: a revoked certificate never
 * comes back (reference §6.1), and a hold is exactly a revocation that may be undone.
 */
public enum RevocationReason {
  UNSPECIFIED("unspecified", 0),
  KEY_COMPROMISE("keyCompromise", 1),
  CA_COMPROMISE("cACompromise", 2),
  AFFILIATION_CHANGED("affiliationChanged", 3),
  SUPERSEDED("superseded", 4),
  CESSATION_OF_OPERATION("cessationOfOperation", 5),
  PRIVILEGE_WITHDRAWN("privilegeWithdrawn", 9),
  AA_COMPROMISE("aACompromise", 10);

  private final String rfcName;
  private final int code;

  RevocationReason(String rfcName, int code) {
    this.rfcName = rfcName;
    this.code = code;
  }

  /** The ASN.1 name RFC 5280 gives the reason, e.g. {@code keyCompromise}. */
  public String rfcName() {
    return rfcName;
  }

  /** The CRLReason enumerated value. */
  public int code() {
    return code;
  }

  /** By RFC name, case-insensitively ({@code keyCompromise}, {@code keycompromise}). */
  public static Optional<RevocationReason> parse(String name) {
    if (name == null) {
      return Optional.empty();
    }
    String wanted = name.trim().toLowerCase(Locale.ROOT);
    return Arrays.stream(values())
        .filter(r -> r.rfcName.toLowerCase(Locale.ROOT).equals(wanted))
        .findFirst();
  }

  /** The stored code back to its reason; unknown codes are a corrupt row and fail loudly. */
  public static RevocationReason ofCode(int code) {
    return Arrays.stream(values())
        .filter(r -> r.code == code)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown CRLReason code " + code));
  }

  /** Every accepted name, for error messages and help texts. */
  public static String names() {
    return Arrays.stream(values()).map(RevocationReason::rfcName).collect(Collectors.joining(", "));
  }
}
