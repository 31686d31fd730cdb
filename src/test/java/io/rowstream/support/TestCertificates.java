package io.rowstream.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Key pairs made at test time by the JDK's keytool (nothing committed), in PKCS12 stores under a
 * directory, and their certificates and keys as PEM.
 */
public final class TestCertificates {
  public static final String PASSWORD = "test-only";
  private final Path dir;

  public TestCertificates(String purpose) throws java.io.IOException {
    this.dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), purpose);
  }

  public Path dir() {
    return dir;
  }

  /** A PKCS12 store {@code <alias>.p12} holding a self-signed EC key pair for {@code dname}, valid two days. */
  public Path keyPair(String alias, String dname, String san) throws Exception {
    Path store = dir.resolve(alias + ".p12");
    Path keytool =
        Path.of(ProcessHandle.current().info().command().orElseThrow()).resolveSibling("keytool");
    List<String> command = new ArrayList<>(List.of(
        keytool.toString(),
        "-genkeypair",
        "-alias",
        alias,
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        dname,
        "-validity",
        "2",
        "-storetype",
        "PKCS12",
        "-keystore",
        store.toString(),
        "-storepass",
        PASSWORD,
        "-keypass",
        PASSWORD));
    if (san != null) {
      command.addAll(List.of("-ext", san));
    }
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(output).isZero();
    return store;
  }

  public static KeyStore load(Path p12) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(p12)) {
      store.load(in, PASSWORD.toCharArray());
    }
    return store;
  }

  public static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der) + "\n-----END " + type
        + "-----\n";
  }

  /** Writes the certificate of {@code alias} in a store made by {@link #keyPair} as {@code <alias>.pem}. */
  public Path certificatePem(Path store, String alias) throws Exception {
    Path file = dir.resolve(alias + ".pem");
    Files.writeString(file, pem("CERTIFICATE", load(store).getCertificate(alias).getEncoded()));
    return file;
  }

  /** Writes the private key of {@code alias} as PKCS#8 PEM, {@code <alias>.key}. */
  public Path privateKeyPem(Path store, String alias) throws Exception {
    Path file = dir.resolve(alias + ".key");
    Files.writeString(
        file,
        pem("PRIVATE KEY", load(store).getKey(alias, PASSWORD.toCharArray()).getEncoded()));
    return file;
  }

  /** Trust in the one certificate of {@code alias} in a store made by {@link #keyPair}. */
  public static TrustManagerFactory trusting(Path store, String alias) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry(alias, load(store).getCertificate(alias));
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    return tmf;
  }

  /** A client's TLS context: trusting what {@code trust} trusts, showing the key pair of {@code clientStore} if any. */
  public static SSLContext context(Path clientStore, TrustManagerFactory trust) throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    KeyManagerFactory kmf = null;
    if (clientStore != null) {
      kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(load(clientStore), PASSWORD.toCharArray());
    }
    context.init(
        kmf == null ? null : kmf.getKeyManagers(), trust.getTrustManagers(), new SecureRandom());
    return context;
  }

  /** A GET over HTTPS to the first node of a broker, with the given client context. */
  public static HttpResponse<String> get(SSLContext context, TestBroker broker, String path)
      throws Exception {
    HttpClient client = HttpClient.newBuilder()
        .sslContext(context)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
    return client.send(
        HttpRequest.newBuilder(URI.create(broker.node(0).baseUrl() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
