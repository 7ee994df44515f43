package io.mamori.hub.policy;

import java.util.Arrays;

/**
 * An IPv4 or IPv6 CIDR block from an {@code IpAddress}/{@code NotIpAddress} condition. Addresses
 * are parsed by hand: {@code InetAddress.getByName} would send anything that is not a literal to
 * DNS, which must never happen on the event loop.
 */
final class IpRange {

  private final String source;
  private final byte[] network;
  private final int prefixLength;

  private IpRange(String source, byte[] network, int prefixLength) {
    this.source = source;
    this.network = network;
    this.prefixLength = prefixLength;
  }

  /**
   * Parses {@code 10.0.0.0/8}, {@code 2001:db8::/32} or a bare address (a /32 or /128 block).
   *
   * @throws IllegalArgumentException with the reason when the text is not a CIDR block
   */
  static IpRange parse(String text) {
    int slash = text.indexOf('/');
    String address = slash < 0 ? text : text.substring(0, slash);
    byte[] bytes = parseAddress(address);
    if (bytes == null) {
      throw new IllegalArgumentException("'" + text + "' is not an IPv4 or IPv6 CIDR block");
    }
    int bits = bytes.length * 8;
    int prefix = bits;
    if (slash >= 0) {
      String digits = text.substring(slash + 1);
      if (!digits.matches("[0-9]{1,3}") || Integer.parseInt(digits) > bits) {
        throw new IllegalArgumentException(
            "'" + text + "' has an invalid prefix length (0 to " + bits + ")");
      }
      prefix = Integer.parseInt(digits);
    }
    return new IpRange(text, bytes, prefix);
  }

  /** True when {@code address} (4 or 16 bytes) lies inside this block. */
  boolean contains(byte[] address) {
    if (address.length != network.length) {
      return false;
    }
    int fullBytes = prefixLength / 8;
    for (int i = 0; i < fullBytes; i++) {
      if (address[i] != network[i]) {
        return false;
      }
    }
    int restBits = prefixLength % 8;
    if (restBits == 0) {
      return true;
    }
    int mask = (0xFF << (8 - restBits)) & 0xFF;
    return (address[fullBytes] & mask) == (network[fullBytes] & mask);
  }

  String source() {
    return source;
  }

  /**
   * Parses an IPv4 dotted quad or an IPv6 literal (with {@code ::} and a trailing dotted quad).
   * IPv4-mapped IPv6 addresses ({@code ::ffff:a.b.c.d}) become their 4-byte IPv4 form so that IPv4
   * blocks match clients on dual-stack sockets.
   *
   * @return 4 or 16 bytes, or {@code null} when {@code text} is not an address literal
   */
  static byte[] parseAddress(String text) {
    if (text.indexOf(':') < 0) {
      return parseIpv4(text);
    }
    byte[] v6 = parseIpv6(text);
    if (v6 == null) {
      return null;
    }
    for (int i = 0; i < 10; i++) {
      if (v6[i] != 0) {
        return v6;
      }
    }
    if (v6[10] == (byte) 0xFF && v6[11] == (byte) 0xFF) {
      return Arrays.copyOfRange(v6, 12, 16);
    }
    return v6;
  }

  private static byte[] parseIpv4(String text) {
    byte[] out = new byte[4];
    int part = 0;
    int value = 0;
    int digits = 0;
    for (int i = 0; i <= text.length(); i++) {
      char c = i < text.length() ? text.charAt(i) : '.';
      if (c == '.') {
        if (digits == 0 || part == 4) {
          return null;
        }
        out[part++] = (byte) value;
        value = 0;
        digits = 0;
      } else if (c >= '0' && c <= '9' && digits < 3) {
        value = value * 10 + (c - '0');
        digits++;
        if (value > 255) {
          return null;
        }
      } else {
        return null;
      }
    }
    return part == 4 ? out : null;
  }

  private static byte[] parseIpv6(String text) {
    int gap = text.indexOf("::");
    if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
      return null;
    }
    int[] before = gap < 0 ? groups(text) : groups(text.substring(0, gap));
    int[] after = gap < 0 ? new int[0] : groups(text.substring(gap + 2));
    if (before == null || after == null) {
      return null;
    }
    int total = before.length + after.length;
    if (gap < 0 ? total != 8 : total > 7) {
      return null;
    }
    byte[] out = new byte[16];
    for (int g = 0; g < before.length; g++) {
      out[2 * g] = (byte) (before[g] >> 8);
      out[2 * g + 1] = (byte) before[g];
    }
    for (int g = 0; g < after.length; g++) {
      int at = 8 - after.length + g;
      out[2 * at] = (byte) (after[g] >> 8);
      out[2 * at + 1] = (byte) after[g];
    }
    return out;
  }

  /** 16-bit groups of one side of {@code ::}; a trailing dotted quad counts as two groups. */
  private static int[] groups(String side) {
    if (side.isEmpty()) {
      return new int[0];
    }
    String[] parts = side.split(":", -1);
    int count = parts.length;
    byte[] tailV4 = null;
    if (parts[count - 1].indexOf('.') >= 0) {
      tailV4 = parseIpv4(parts[count - 1]);
      if (tailV4 == null) {
        return null;
      }
      count--;
    }
    int[] out = new int[count + (tailV4 == null ? 0 : 2)];
    for (int g = 0; g < count; g++) {
      String part = parts[g];
      if (part.isEmpty() || part.length() > 4) {
        return null;
      }
      int value = 0;
      for (int k = 0; k < part.length(); k++) {
        char c = part.charAt(k);
        int digit = c < 128 ? Character.digit(c, 16) : -1;
        if (digit < 0) {
          return null;
        }
        value = value * 16 + digit;
      }
      out[g] = value;
    }
    if (tailV4 != null) {
      out[count] = ((tailV4[0] & 0xFF) << 8) | (tailV4[1] & 0xFF);
      out[count + 1] = ((tailV4[2] & 0xFF) << 8) | (tailV4[3] & 0xFF);
    }
    return out;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof IpRange range && range.source.equals(source);
  }

  @Override
  public int hashCode() {
    return source.hashCode();
  }

  @Override
  public String toString() {
    return source;
  }
}
