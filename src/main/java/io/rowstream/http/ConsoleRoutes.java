package io.rowstream.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The web console: {@code GET /ui} (its page) and {@code GET /ui/{file}} (its scripts and styles),
 * the files under {@code console/} on the classpath, served to anyone ({@link AccessControl} lets
 * these paths past authentication): the page holds no data, and every call it makes to the API
 * carries the user's own credentials. A strict Content-Security-Policy keeps the page to this
 * node's own files and API (no CDN, no inline script; {@code blob:} only for the records the page
 * itself exports).
 */
final class ConsoleRoutes {
  static final String PATH = "/ui";
  private static final String FOLDER = "console/";
  private static final Pattern FILE = Pattern.compile("[a-z0-9-]+\\.(html|js|css|svg|png)");
  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "svg", "image/svg+xml",
      "png", "image/png");
  private static final String POLICY = "default-src 'self'; img-src 'self' data: blob:;"
      + " style-src 'self'; script-src 'self'; connect-src 'self' blob:; frame-ancestors 'none';"
      + " base-uri 'none'; form-action 'none'";

  /** Whether a request path is the console's: served without authentication. */
  static boolean isConsole(String path) {
    return path.equals(PATH) || path.startsWith(PATH + "/");
  }

  void register(AuthorizedRoutes routes) {
    routes.get(PATH, Rule.anyPrincipal(), ctx -> serve(ctx, "index.html"));
    routes.get(PATH + "/", Rule.anyPrincipal(), ctx -> serve(ctx, "index.html"));
    routes.get(PATH + "/{file}", Rule.anyPrincipal(), ctx -> serve(ctx, ctx.pathParam("file")));
  }

  private static void serve(Context ctx, String file) {
    byte[] body = read(file)
        .orElseThrow(() -> ErrorResponses.notFound("The console has no file " + file + "."));
    ctx.header("Content-Security-Policy", POLICY)
        .header("X-Content-Type-Options", "nosniff")
        .header("Cache-Control", "no-cache")
        .contentType(TYPES.get(file.substring(file.lastIndexOf('.') + 1)))
        .result(body);
  }

  /** A file of the console, if the name is one a console file may have and it exists. */
  private static Optional<byte[]> read(String file) {
    if (!FILE.matcher(file).matches()) {
      return Optional.empty();
    }
    try (InputStream in = ConsoleRoutes.class.getClassLoader().getResourceAsStream(FOLDER + file)) {
      return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
