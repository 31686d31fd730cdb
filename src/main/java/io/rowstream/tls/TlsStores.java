package io.rowstream.tls;

import io.rowstream.config.OpsConfig;
import io.rowstream.pem.PemCertificates;
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
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The key and trust material of a node's TLS settings: a key from PEM files (certificate chain and
 * PKCS#8 key) or a PKCS12 key store, CA certificates from a PEM file or PKCS12 store. Both doors'
 * listeners serve with them (the HTTPS listener, and the Kafka listener through
 * {@link #serverContext}), and a node calling another one shows its key and trusts its own chain and
 * the trust store ({@link #nodeToNode}).
 */
public final class TlsStores {
  /** The protocols every listener and node-to-node call speaks: TLS 1.3 and 1.2 only. */
  public static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  private static final Pattern PRIVATE_KEY =
      Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
  private static final char[] NO_PASSWORD = new char[0];

  private TlsStores() {}

  /** The node's key and certificate chain. */
  public static KeyStore keyStore(OpsConfig.Tls tls) {
    return tls.keyStore().isPresent()
        ? pkcs12(tls.keyStore().get(), keyPassword(tls))
        : fromPem(tls.certificate().orElseThrow(), tls.privateKey().orElseThrow());
  }

  /** The password of the key store and of its key entry. */
  public static String keyPassword(OpsConfig.Tls tls) {
    return tls.keyStore().isPresent() ? tls.keyStorePassword().orElse("") : "";
  }

  /** The CA certificates of the configured trust store, if any. */
  public static Optional<KeyStore> trustStore(OpsConfig.Tls tls) {
    return tls.trustStore()
        .map(trust -> isPem(trust)
            ? trustedPem(trust)
            : pkcs12(trust, tls.trustStorePassword().orElse("")));
  }

  /**
   * The TLS context of a node calling another node of its cluster: TLS 1.2 or 1.3, its own key as
   * client certificate (for listeners that ask for one), and trusting every certificate of its own
   * chain and of the trust store, so that nodes sharing a certificate, a CA or a trust store trust
   * each other without trusting the whole public PKI. The host name is verified as usual.
   */
  public static SSLContext nodeToNode(OpsConfig.Tls tls) {
    try {
      KeyStore keys = keyStore(tls);
      KeyStore trusted = KeyStore.getInstance("PKCS12");
      trusted.load(null, null);
      int i = 0;
      for (String alias : Collections.list(keys.aliases())) {
        Certificate[] chain = keys.getCertificateChain(alias);
        for (Certificate c : chain == null ? new Certificate[0] : chain) {
          trusted.setCertificateEntry("own-" + i++, c);
        }
      }
      Optional<KeyStore> store = trustStore(tls);
      if (store.isPresent()) {
        for (String alias : Collections.list(store.get().aliases())) {
          Certificate c = store.get().getCertificate(alias);
          if (c != null) {
            trusted.setCertificateEntry("ca-" + i++, c);
          }
        }
      }
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, keyPassword(tls).toCharArray());
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException(
          "cannot build the node-to-node TLS context: " + e.getMessage(), e);
    }
  }

  /**
   * The TLS context of a listener: the node's key, and the trust store (when configured) to verify
   * client certificates with. Whether a client certificate is asked for is the listener's to set.
   */
  public static SSLContext serverContext(OpsConfig.Tls tls) {
    try {
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keyStore(tls), keyPassword(tls).toCharArray());
      TrustManagerFactory tmf = null;
      Optional<KeyStore> trusted = trustStore(tls);
      if (trusted.isPresent()) {
        tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted.get());
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "cannot build the listener's TLS context: " + e.getMessage(), e);
    }
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
      throw new IllegalArgumentException(
          "cannot read the PKCS12 store " + file + ": " + e.getMessage(), e);
    }
  }

  /** A key store holding the PEM certificate chain and its PKCS#8 private key (RSA or EC). */
  private static KeyStore fromPem(Path certificate, Path privateKey) {
    try {
      Collection<? extends Certificate> chain = PemCertificates.read(certificate);
      Matcher m = PRIVATE_KEY.matcher(Files.readString(privateKey, StandardCharsets.US_ASCII));
      if (!m.find()) {
        throw new IllegalArgumentException(
            privateKey + " holds no PKCS#8 \"BEGIN PRIVATE KEY\" block (convert with "
                + "openssl pkcs8 -topk8 -nocrypt)");
      }
      PKCS8EncodedKeySpec spec =
          new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(m.group(1)));
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
        throw new IllegalArgumentException(
            privateKey + " is not an RSA, EC or Ed25519 private key");
      }
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("rowstream", key, NO_PASSWORD, chain.toArray(Certificate[]::new));
      return store;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "cannot read the TLS certificate or key: " + e.getMessage(), e);
    }
  }

  private static KeyStore trustedPem(Path file) {
    try {
      return PemCertificates.trustStore(file);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "cannot read the trusted certificates " + file + ": " + e.getMessage(), e);
    }
  }
}
