package io.mamori.hub.pki;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;

/**
 * The certificate values AWS IoT exposes as {@code iot:Certificate.*} policy variables (reference
 * §5.4), keyed without the {@code iot:Certificate.} prefix.
 */
public final class CertificateFields {
  // AWS IoT policy variable attribute names, in the reference's order, with their X.520 types.
  private static final Map<ASN1ObjectIdentifier, String> ATTRIBUTES = attributes();

  private CertificateFields() {}

  /**
   * Keys are {@code Subject.<Attr>}, {@code Issuer.<Attr>}, {@code Subject.AlternativeName.<Type>},
   * {@code Issuer.AlternativeName.<Type>} and {@code SerialNumber}; values keep certificate order
   * and every value of a multi-valued field. A field the certificate lacks has no key. The serial
   * is lowercase hex without leading zeros; IP addresses are in {@link InetAddress} text form.
   */
  public static Map<String, List<String>> of(X509Certificate certificate) {
    Map<String, List<String>> fields = new LinkedHashMap<>();
    addNameAttributes(fields, "Subject.", certificate.getSubjectX500Principal());
    addNameAttributes(fields, "Issuer.", certificate.getIssuerX500Principal());
    addAlternativeNames(
        fields,
        "Subject.AlternativeName.",
        certificate.getExtensionValue(Extension.subjectAlternativeName.getId()));
    addAlternativeNames(
        fields,
        "Issuer.AlternativeName.",
        certificate.getExtensionValue(Extension.issuerAlternativeName.getId()));
    add(fields, "SerialNumber", certificate.getSerialNumber().toString(16));
    Map<String, List<String>> result = new LinkedHashMap<>();
    fields.forEach((key, values) -> result.put(key, List.copyOf(values)));
    return Collections.unmodifiableMap(result);
  }

  private static void addNameAttributes(
      Map<String, List<String>> fields, String prefix, X500Principal principal) {
    X500Name name = X500Name.getInstance(principal.getEncoded());
    for (RDN rdn : name.getRDNs()) {
      for (AttributeTypeAndValue attribute : rdn.getTypesAndValues()) {
        String attributeName = ATTRIBUTES.get(attribute.getType());
        if (attributeName != null) {
          add(fields, prefix + attributeName, text(attribute.getValue()));
        }
      }
    }
  }

  private static void addAlternativeNames(
      Map<String, List<String>> fields, String prefix, byte[] extensionValue) {
    if (extensionValue == null) {
      return;
    }
    GeneralNames names =
        GeneralNames.getInstance(ASN1OctetString.getInstance(extensionValue).getOctets());
    for (GeneralName name : names.getNames()) {
      ASN1Encodable value = name.getName();
      switch (name.getTagNo()) {
        case GeneralName.rfc822Name -> add(fields, prefix + "RFC822Name", text(value));
        case GeneralName.dNSName -> add(fields, prefix + "DNSName", text(value));
        case GeneralName.uniformResourceIdentifier ->
            add(fields, prefix + "UniformResourceIdentifier", text(value));
        case GeneralName.directoryName -> add(fields, prefix + "DirectoryName", directory(value));
        case GeneralName.iPAddress ->
            add(fields, prefix + "IPAddress", ip(ASN1OctetString.getInstance(value).getOctets()));
        default -> {
          // otherName, x400Address, ediPartyName, registeredID: AWS exposes no variable for them.
        }
      }
    }
  }

  private static String text(ASN1Encodable value) {
    return value instanceof ASN1String string ? string.getString() : IETFUtils.valueToString(value);
  }

  private static String directory(ASN1Encodable value) {
    try {
      return new X500Principal(X500Name.getInstance(value).getEncoded())
          .getName(X500Principal.RFC2253);
    } catch (IOException e) {
      return X500Name.getInstance(value).toString();
    }
  }

  private static String ip(byte[] address) {
    try {
      return InetAddress.getByAddress(address).getHostAddress();
    } catch (UnknownHostException e) {
      // Name constraints encode address+mask (8 or 32 bytes); show them as hex rather than drop.
      return HexFormat.of().formatHex(address);
    }
  }

  private static void add(Map<String, List<String>> fields, String key, String value) {
    fields.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
  }

  private static Map<ASN1ObjectIdentifier, String> attributes() {
    Map<ASN1ObjectIdentifier, String> map = new LinkedHashMap<>();
    map.put(BCStyle.DN_QUALIFIER, "DistinguishedNameQualifier");
    map.put(BCStyle.C, "Country");
    map.put(BCStyle.O, "Organization");
    map.put(BCStyle.OU, "OrganizationalUnit");
    map.put(BCStyle.ST, "State");
    map.put(BCStyle.CN, "CommonName");
    map.put(BCStyle.SERIALNUMBER, "SerialNumber");
    map.put(BCStyle.T, "Title");
    map.put(BCStyle.SURNAME, "Surname");
    map.put(BCStyle.GIVENNAME, "GivenName");
    map.put(BCStyle.INITIALS, "Initials");
    map.put(BCStyle.PSEUDONYM, "Pseudonym");
    map.put(BCStyle.GENERATION, "GenerationQualifier");
    return Map.copyOf(map);
  }
}
