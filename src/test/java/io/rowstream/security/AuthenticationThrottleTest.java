package io.rowstream.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AuthenticationThrottleTest {
  @Test
  void an_ipv6_client_counts_by_its_64_network_and_an_ipv4_client_by_its_address() {
    assertThat(AuthenticationThrottle.addressKey("2001:db8::1"))
        .isEqualTo(AuthenticationThrottle.addressKey("[2001:db8:0:0:ffff::2]"))
        .isNotEqualTo(AuthenticationThrottle.addressKey("2001:db8:0:1::1"));
    assertThat(AuthenticationThrottle.addressKey("192.0.2.7")).isEqualTo("192.0.2.7");
    assertThat(AuthenticationThrottle.addressKey("::ffff:192.0.2.7")).isEqualTo("192.0.2.7");
  }
}
