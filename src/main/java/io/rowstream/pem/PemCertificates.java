package io.rowstream.pem;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;

/**
 * The X.509 certificates of a PEM file, as the JDK reads them, and a trust store of them: what a
 * node trusts of its clients ({@code tls.TlsStores}) and what the command line trusts of a node
 * ({@code --ca-cert}). Only the JDK's classes, so that the command line may use it.
 */
public final class PemCertificates {
  private PemCertificates() {}

  /** The certificates of {@code file}, in order; IllegalArgumentException when it holds none. */
  public static Collection<? extends Certificate> read(Path file)
      throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(file)) {
      Collection<? extends Certificate> certificates =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certificates.isEmpty()) {
        throw new IllegalArgumentException(file + " holds no PEM certificate");
      }
      return certificates;
    }
  }

  /** An in-memory PKCS12 store trusting every certificate of {@code file} (as {@link #read}). */
  public static KeyStore trustStore(Path file) throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    int i = 0;
    for (Certificate certificate : read(file)) {
      store.setCertificateEntry("ca-" + i++, certificate);
    }
    return store;
  }
}
