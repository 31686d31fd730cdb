package io.rowstream.logging;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.security.Principal;
import org.junit.jupiter.api.Test;

class LogTextTest {
  @Test
  void control_characters_and_line_separators_are_escaped() {
    assertThat(LogText.of("g\r\nforged\tline\u0000\u001b[31m\u2028\u2029\u0085"))
        .isEqualTo("g\\r\\nforged\\tline\\u0000\\u001b[31m\\u2028\\u2029\\u0085");
    assertThat(LogText.of(null)).isEqualTo("null");
    assertThat(LogText.of("plain-name_1.x ünïcödé")).isEqualTo("plain-name_1.x ünïcödé");
  }

  @Test
  void a_certificate_subject_with_a_newline_stays_on_one_line() {
    Principal fromCertificate = new Principal("CN=alice\nUser:admin logged in,O=Example");
    assertThat(LogText.of(fromCertificate)).doesNotContain("\n").contains("CN=alice\\nUser:admin");
  }
}
