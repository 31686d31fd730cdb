package io.rowstream.http;

import static io.rowstream.support.TestCertificates.PASSWORD;
import static io.rowstream.support.TestCertificates.get;
import static io.rowstream.support.TestCertificates.pem;
import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.config.OpsConfig;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestCertificates;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The HTTPS listener, with certificates made at test time by the JDK's keytool (nothing
 * committed): TLS 1.2 and 1.3 are served, a TLS 1.1 ClientHello is refused, PEM and PKCS12 keys
 * both work, and a verified client certificate is a principal.
 */
class TlsTest {
  private static TestBroker pkcs12Broker;
  private static TestBroker pemBroker;
  private static SSLContext trustingServer;
  private static SSLContext withClientCert;

  @BeforeAll
  static void start() throws Exception {
    TestCertificates certificates = new TestCertificates("tls");
    Path dir = certificates.dir();
    Path server = certificates.keyPair("server", "CN=localhost", "san=dns:localhost,ip:127.0.0.1");
    Path client = certificates.keyPair("client", "CN=alice", null);
    Path clientCert = certificates.certificatePem(client, "client");
    Path serverCert = certificates.certificatePem(server, "server");
    Path serverKey = certificates.privateKeyPem(server, "server");

    OpsConfig.Tls pkcs12 = new OpsConfig.Tls(
        Optional.empty(),
        Optional.empty(),
        Optional.of(server),
        Optional.of(PASSWORD),
        "want",
        Optional.of(clientCert),
        Optional.empty());
    OpsConfig.Auth auth = OpsConfig.Auth.enabled("User:CN=alice");
    pkcs12Broker =
        TestBroker.start("tls_p12", c -> c.withOps(c.ops().withTls(pkcs12).withAuth(auth)));
    OpsConfig.Tls pem = new OpsConfig.Tls(
        Optional.of(serverCert),
        Optional.of(serverKey),
        Optional.empty(),
        Optional.empty(),
        "none",
        Optional.empty(),
        Optional.empty());
    pemBroker = TestBroker.start("tls_pem", c -> c.withOps(c.ops().withTls(pem)));

    TrustManagerFactory tmf = TestCertificates.trusting(server, "server");
    trustingServer = TestCertificates.context(null, tmf);
    withClientCert = TestCertificates.context(client, tmf);
  }

  @AfterAll
  static void stop() {
    pkcs12Broker.close();
    pemBroker.close();
  }

  @Test
  void the_listener_serves_https_from_pkcs12_and_from_pem_files() throws Exception {
    assertThat(pkcs12Broker.node(0).baseUrl()).startsWith("https://");
    assertThat(get(trustingServer, pkcs12Broker, "/status/live").statusCode()).isEqualTo(200);
    assertThat(get(trustingServer, pemBroker, "/topics").statusCode()).isEqualTo(200);
  }

  @Test
  void tls_1_2_and_1_3_handshake_and_a_tls_1_1_client_hello_is_refused() throws Exception {
    int port = pemBroker.node(0).port();
    for (String protocol : List.of("TLSv1.2", "TLSv1.3")) {
      try (SSLSocket socket =
          (SSLSocket) trustingServer.getSocketFactory().createSocket("localhost", port)) {
        socket.setEnabledProtocols(new String[] {protocol});
        socket.startHandshake();
        assertThat(socket.getSession().getProtocol()).isEqualTo(protocol);
      }
    }
    // The JDK client no longer speaks TLS 1.1, so send ClientHellos by hand: the same hello gets a
    // ServerHello (handshake record, 22) as TLS 1.2, and an alert (21) or a hang-up as TLS 1.1.
    assertThat(firstByteAnswering(port, 0x0303)).isEqualTo(22);
    assertThat(firstByteAnswering(port, 0x0302))
        .as("a TLS alert (21) or end of stream")
        .isIn(21, -1);
  }

  private static int firstByteAnswering(int port, int version) throws IOException {
    try (Socket socket = new Socket("localhost", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(clientHello(version));
      out.flush();
      return new DataInputStream(socket.getInputStream()).read();
    } catch (java.net.SocketException e) {
      return -1;
    }
  }

  @Test
  void a_verified_client_certificate_is_the_principal() throws Exception {
    assertThat(get(withClientCert, pkcs12Broker, "/brokers").statusCode()).isEqualTo(200);
    HttpResponse<String> anonymous = get(trustingServer, pkcs12Broker, "/brokers");
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.body()).contains("40101");
  }

  /** A minimal ClientHello record offering only {@code version} (the same hello as 0x0303 gets a ServerHello). */
  private static byte[] clientHello(int version) {
    var body = new java.io.ByteArrayOutputStream();
    body.write(version >> 8);
    body.write(version & 0xff);
    body.writeBytes(new byte[32]);
    body.write(0);
    body.writeBytes(
        new byte[] {0, 8, (byte) 0xc0, 0x2b, (byte) 0xc0, 0x09, (byte) 0xc0, 0x13, 0x00, 0x2f});
    body.writeBytes(new byte[] {1, 0});
    // supported_groups (secp256r1), ec_point_formats (uncompressed), signature_algorithms
    // (ecdsa/rsa sha256)
    byte[] extensions = {
      0x00, 0x0a, 0x00, 0x04, 0x00, 0x02, 0x00, 0x17, 0x00, 0x0b, 0x00, 0x02, 0x01, 0x00, 0x00,
      0x0d, 0x00, 0x08, 0x00, 0x06, 0x04, 0x03, 0x08, 0x04, 0x04, 0x01
    };
    body.write(0);
    body.write(extensions.length);
    body.writeBytes(extensions);
    byte[] hello = body.toByteArray();
    var record = new java.io.ByteArrayOutputStream();
    record.writeBytes(new byte[] {0x16, 0x03, 0x01});
    int length = hello.length + 4;
    record.write(length >> 8);
    record.write(length & 0xff);
    record.writeBytes(
        new byte[] {0x01, 0, (byte) (hello.length >> 8), (byte) (hello.length & 0xff)});
    record.writeBytes(hello);
    return record.toByteArray();
  }
}
