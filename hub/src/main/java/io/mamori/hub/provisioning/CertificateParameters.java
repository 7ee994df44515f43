package io.mamori.hub.provisioning;

import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * The pseudo parameters a JITP template may use (reference §1.4), read from the device
 * certificate's subject, plus {@code AWS::IoT::Certificate::Id}. A subject attribute the
 * certificate does not carry is absent from the map, so a template declaring it fails, as AWS
 * requires.
 */
final class CertificateParameters {
  static final String PREFIX = "AWS::IoT::Certificate::";

  private static final Map<String, ASN1ObjectIdentifier> SUBJECT_ATTRIBUTES = subjectAttributes();

  private CertificateParameters() {}

  private static Map<String, ASN1ObjectIdentifier> subjectAttributes() {
    var attributes = new LinkedHashMap<String, ASN1ObjectIdentifier>();
    attributes.put(PREFIX + "Country", BCStyle.C);
    attributes.put(PREFIX + "Organization", BCStyle.O);
    attributes.put(PREFIX + "OrganizationalUnit", BCStyle.OU);
    attributes.put(PREFIX + "DistinguishedNameQualifier", BCStyle.DN_QUALIFIER);
    attributes.put(PREFIX + "StateName", BCStyle.ST);
    attributes.put(PREFIX + "CommonName", BCStyle.CN);
    // The subject's serialNumber attribute (OID 2.5.4.5), not the certificate's serial number.
    attributes.put(PREFIX + "SerialNumber", BCStyle.SERIALNUMBER);
    return Map.copyOf(attributes);
  }

  /** Whether {@code name} is one of the JITP pseudo parameters (subject attributes or Id). */
  static boolean isPseudo(String name) {
    return SUBJECT_ATTRIBUTES.containsKey(name) || TemplateDocument.CERTIFICATE_ID.equals(name);
  }

  /** The pseudo parameters this certificate supplies. */
  static Map<String, String> of(X509Certificate certificate, String certificateId) {
    X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
    var values = new LinkedHashMap<String, String>();
    SUBJECT_ATTRIBUTES.forEach(
        (name, oid) -> {
          RDN[] rdns = subject.getRDNs(oid);
          if (rdns.length > 0 && rdns[0].getFirst() != null) {
            var value = rdns[0].getFirst().getValue();
            values.put(
                name,
                value instanceof ASN1String text
                    ? text.getString()
                    : IETFUtils.valueToString(value));
          }
        });
    values.put(TemplateDocument.CERTIFICATE_ID, certificateId);
    return values;
  }
}
