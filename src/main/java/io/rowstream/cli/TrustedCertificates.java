package io.rowstream.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A TLS context that trusts the certificates of a PEM file ({@code --ca-cert}), instead of the
 * JDK's: for a node whose certificate is self-signed or signed by a private authority, as
 * {@code curl --cacert} does.
 */
final class TrustedCertificates {
  private TrustedCertificates() {}

  /** The context trusting every certificate in {@code pemFile}; a usage error when it has none. */
  static SSLContext context(String pemFile) {
    Collection<? extends Certificate> certificates;
    try (InputStream in = Files.newInputStream(Path.of(pemFile))) {
      certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
    } catch (IOException | GeneralSecurityException e) {
      throw new UsageException("cannot read the certificates of --ca-cert " + pemFile + ": "
          + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    }
    if (certificates.isEmpty()) {
      throw new UsageException("--ca-cert " + pemFile + " holds no PEM certificate");
    }
    try {
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      int i = 0;
      for (Certificate certificate : certificates) {
        trusted.setCertificateEntry("ca-" + i++, certificate);
      }
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("the JDK's TLS could not be set up", e);
    }
  }
}
