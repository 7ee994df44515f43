package io.mamori.hub.pki;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.util.IPAddress;

/** The host names and IP addresses the hub's TLS server certificate must carry as SANs. */
final class ServerNames {
  private static final List<String> DEFAULTS = List.of("localhost", "127.0.0.1", "::1");
  // RFC 1123 §2.1 labels, optionally with a leading "*." wildcard (RFC 6125 §6.4.3).
  private static final Pattern DNS_NAME =
      Pattern.compile(
          "^(\\*\\.)?([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)"
              + "(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$");

  private final List<String> names;

  private ServerNames(List<String> names) {
    this.names = names;
  }

  static ServerNames withDefaults(List<String> extraHostnames) {
    Set<String> names = new LinkedHashSet<>(DEFAULTS);
    for (String raw : extraHostnames) {
      String name = raw.trim();
      if (name.startsWith("[") && name.endsWith("]")) {
        name = name.substring(1, name.length() - 1);
      }
      if (!IPAddress.isValid(name) && (name.length() > 253 || !DNS_NAME.matcher(name).matches())) {
        throw new IllegalArgumentException("not a valid host name or IP address: '" + raw + "'");
      }
      names.add(name);
    }
    return new ServerNames(List.copyOf(names));
  }

  GeneralNames toGeneralNames() {
    GeneralName[] entries =
        names.stream()
            .map(
                name ->
                    IPAddress.isValid(name)
                        ? new GeneralName(GeneralName.iPAddress, name)
                        : new GeneralName(GeneralName.dNSName, name))
            .toArray(GeneralName[]::new);
    return new GeneralNames(entries);
  }

  /** The names not present among the certificate's SANs (DNS case-insensitive, IPs by value). */
  List<String> missingFrom(X509Certificate certificate) {
    Set<String> present = new HashSet<>();
    try {
      Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
      if (sans != null) {
        for (List<?> san : sans) {
          int type = (Integer) san.get(0);
          if (type == GeneralName.dNSName || type == GeneralName.iPAddress) {
            present.add(normalize((String) san.get(1)));
          }
        }
      }
    } catch (CertificateParsingException e) {
      return List.copyOf(names);
    }
    List<String> missing = new ArrayList<>();
    for (String name : names) {
      if (!present.contains(normalize(name))) {
        missing.add(name);
      }
    }
    return missing;
  }

  private static String normalize(String name) {
    if (IPAddress.isValid(name)) {
      try {
        // A validated literal: getByName parses it without any DNS lookup.
        return "ip:" + InetAddress.getByName(name).getHostAddress();
      } catch (UnknownHostException e) {
        return "ip:" + name;
      }
    }
    return "dns:" + name.toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return names.toString();
  }
}
