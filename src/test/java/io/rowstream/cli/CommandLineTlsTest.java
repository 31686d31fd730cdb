package io.rowstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.config.OpsConfig;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The command line against a node serving HTTPS with a self-signed certificate: refused by the
 * JDK's trust with a hint, trusted with {@code --ca-cert}, {@code ROWSTREAM_CA_CERT} or a profile's
 * {@code ca_cert}; a file that holds no certificate is a usage error.
 */
class CommandLineTlsTest {
  private static TestBroker broker;
  private static Path serverCert;
  private static Cli cli;

  @BeforeAll
  static void start() throws Exception {
    TestCertificates certificates = new TestCertificates("cli-tls");
    Path server = certificates.keyPair("server", "CN=localhost", "san=dns:localhost,ip:127.0.0.1");
    serverCert = certificates.certificatePem(server, "server");
    OpsConfig.Tls tls = new OpsConfig.Tls(
        Optional.of(serverCert),
        Optional.of(certificates.privateKeyPem(server, "server")),
        Optional.empty(),
        Optional.empty(),
        "none",
        Optional.empty(),
        Optional.empty());
    broker = TestBroker.start("cli_tls", c -> c.withOps(c.ops().withTls(tls)));
    cli = new Cli(Map.of("ROWSTREAM_URL", broker.node(0).baseUrl()));
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void a_self_signed_node_is_refused_with_a_hint_and_reached_with_its_certificate() {
    assertThat(broker.node(0).baseUrl()).startsWith("https://");
    Cli.Result refused = cli.run("cluster", "info");
    assertThat(refused.exit()).as(refused.toString()).isEqualTo(3);
    assertThat(refused.err()).contains("--ca-cert");

    Cli.Result flag = cli.run("cluster", "info", "--ca-cert", serverCert.toString());
    assertThat(flag.exit()).as(flag.toString()).isZero();
    Cli.Result variable =
        cli.with(Map.of("ROWSTREAM_CA_CERT", serverCert.toString())).run("cluster", "info");
    assertThat(variable.exit()).as(variable.toString()).isZero();
  }

  @Test
  void a_profile_keeps_the_certificate() {
    Cli saved = cli.with(Map.of("ROWSTREAM_CONFIG", cliConfig().toString()));
    Cli.Result created = saved.run(
        "profile",
        "create",
        "tls",
        "--url",
        broker.node(0).baseUrl(),
        "--ca-cert",
        serverCert.toString());
    assertThat(created.exit()).as(created.toString()).isZero();
    Cli.Result info = saved.with(Map.of("ROWSTREAM_URL", "")).run("cluster", "info");
    assertThat(info.exit()).as(info.toString()).isZero();
  }

  @Test
  void a_file_without_a_certificate_is_a_usage_error() throws Exception {
    Path empty = Files.createTempFile("no-cert", ".pem");
    Files.writeString(empty, "not a certificate\n");
    Cli.Result result = cli.run("cluster", "info", "--ca-cert", empty.toString());
    assertThat(result.exit()).as(result.toString()).isEqualTo(2);
    assertThat(result.err()).contains("--ca-cert");
  }

  private static Path cliConfig() {
    try {
      return Files.createTempDirectory("cli-tls-config").resolve("config");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
