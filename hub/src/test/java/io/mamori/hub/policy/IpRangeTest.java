package io.mamori.hub.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class IpRangeTest {

  @Test
  void parsesAddressesLikeTheJdkDoesForLiterals() throws Exception {
    for (String literal :
        new String[] {
          "0.0.0.0",
          "10.1.2.3",
          "255.255.255.255",
          "::",
          "::1",
          "2001:db8::",
          "2001:db8::1:0:0:1",
          "fe80:0:0:0:202:b3ff:fe1e:8329",
          "1:2:3:4:5:6:7:8",
          "::ffff:10.0.0.1",
          "64:ff9b::1.2.3.4",
          "1::",
          "1:2:3:4:5:6:7::"
        }) {
      byte[] expected = InetAddress.getByName(literal).getAddress();
      assertThat(IpRange.parseAddress(literal)).as(literal).isEqualTo(expected);
    }
  }

  @Test
  void rejectsNonLiterals() {
    for (String text :
        new String[] {
          "",
          "localhost",
          "cafe",
          "1.2.3",
          "1.2.3.4.5",
          "256.1.1.1",
          "1..2.3",
          "1.2.3.4 ",
          "1:2:3:4:5:6:7:8:9",
          "1::2::3",
          "12345::",
          "::g",
          "fe80::1%eth0",
          "1:2:3:4:5:6:7",
          "١.٢.٣.٤"
        }) {
      assertThat(IpRange.parseAddress(text)).as(text).isNull();
    }
  }

  @Test
  void containsHonoursThePrefixLength() {
    IpRange range = IpRange.parse("10.128.0.0/9");
    assertThat(range.contains(IpRange.parseAddress("10.200.1.1"))).isTrue();
    assertThat(range.contains(IpRange.parseAddress("10.127.255.255"))).isFalse();
    assertThat(IpRange.parse("0.0.0.0/0").contains(IpRange.parseAddress("8.8.8.8"))).isTrue();
    assertThat(IpRange.parse("2001:db8::/33").contains(IpRange.parseAddress("2001:db8:7fff::1")))
        .isTrue();
    assertThat(IpRange.parse("2001:db8::/33").contains(IpRange.parseAddress("2001:db8:8000::1")))
        .isFalse();
    assertThat(IpRange.parse("10.0.0.0/8").contains(IpRange.parseAddress("2001:db8::1"))).isFalse();
  }

  @Test
  void refusesMalformedBlocks() {
    assertThatThrownBy(() -> IpRange.parse("10.0.0.0/33")).hasMessageContaining("prefix length");
    assertThatThrownBy(() -> IpRange.parse("10.0.0.0/")).hasMessageContaining("prefix length");
    assertThatThrownBy(() -> IpRange.parse("example.com/8"))
        .hasMessageContaining("is not an IPv4 or IPv6 CIDR block");
  }
}
