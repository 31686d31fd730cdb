package io.rowstream.http;

import io.rowstream.config.OpsConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The HTTPS listener: TLS 1.2 and 1.3 only, a key from PEM files (certificate chain and PKCS#8
 * key) or a PKCS12 key store, and optionally client certificates checked against a trust store
 * (PEM CA certificates or PKCS12), whose subject becomes the request's principal.
 */
final class TlsListener {
  static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
  private static final Pattern PRIVATE_KEY =
      Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
  private static final char[] NO_PASSWORD = new char[0];

  private TlsListener() {}

  static Connector connector(Server server, HttpConfiguration http, OpsConfig.Tls tls, int port) {
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setIncludeProtocols(PROTOCOLS);
    if (tls.keyStore().isPresent()) {
      ssl.setKeyStore(pkcs12(tls.keyStore().get(), tls.keyStorePassword().orElse("")));
      ssl.setKeyStorePassword(tls.keyStorePassword().orElse(""));
    } else {
      ssl.setKeyStore(fromPem(tls.certificate().orElseThrow(), tls.privateKey().orElseThrow()));
      ssl.setKeyStorePassword("");
    }
    if (tls.trustStore().isPresent()) {
      Path trust = tls.trustStore().get();
      ssl.setTrustStore(isPem(trust) ? trustedPem(trust) : pkcs12(trust, tls.trustStorePassword().orElse("")));
    }
    switch (tls.clientAuth()) {
      case "need" -> ssl.setNeedClientAuth(true);
      case "want" -> ssl.setWantClientAuth(true);
      default -> { }
    }
    HttpConfiguration https = new HttpConfiguration(http);
    SecureRequestCustomizer secure = new SecureRequestCustomizer();
    // Nodes are often reached by IP or a load balancer name the certificate does not list.
    secure.setSniHostCheck(false);
    https.addCustomizer(secure);
    ServerConnector connector = new ServerConnector(server,
        new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(https));
    connector.setPort(port);
    connector.setAcceptQueueSize(HttpApp.ACCEPT_QUEUE_SIZE);
    return connector;
  }

  private static boolean isPem(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return new String(in.readNBytes(64), StandardCharsets.US_ASCII).contains("-----BEGIN");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static KeyStore pkcs12(Path file, String password) {
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, password.toCharArray());
      return store;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot read the PKCS12 store " + file + ": " + e.getMessage(), e);
    }
  }

  /** A key store holding the PEM certificate chain and its PKCS#8 private key (RSA or EC). */
  private static KeyStore fromPem(Path certificate, Path privateKey) {
    try {
      Collection<? extends Certificate> chain = certificates(certificate);
      Matcher m = PRIVATE_KEY.matcher(Files.readString(privateKey, StandardCharsets.US_ASCII));
      if (!m.find()) {
        throw new IllegalArgumentException(privateKey + " holds no PKCS#8 \"BEGIN PRIVATE KEY\" block (convert with "
            + "openssl pkcs8 -topk8 -nocrypt)");
      }
      PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(m.group(1)));
      PrivateKey key = null;
      for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
        try {
          key = KeyFactory.getInstance(algorithm).generatePrivate(spec);
          break;
        } catch (GeneralSecurityException e) {
          // try the next algorithm
        }
      }
      if (key == null) {
        throw new IllegalArgumentException(privateKey + " is not an RSA, EC or Ed25519 private key");
      }
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("rowstream", key, NO_PASSWORD, chain.toArray(Certificate[]::new));
      return store;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot read the TLS certificate or key: " + e.getMessage(), e);
    }
  }

  private static KeyStore trustedPem(Path file) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      int i = 0;
      for (Certificate c : certificates(file)) {
        store.setCertificateEntry("ca-" + i++, c);
      }
      return store;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot read the trusted certificates " + file + ": " + e.getMessage(), e);
    }
  }

  private static Collection<? extends Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(file)) {
      Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certs.isEmpty()) {
        throw new IllegalArgumentException(file + " holds no certificate");
      }
      return certs;
    }
  }
}
