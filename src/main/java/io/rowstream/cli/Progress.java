package io.rowstream.cli;

import java.io.PrintStream;

/**
 * A one-line counter on stderr, redrawn in place at most every 200 ms, for long produce and consume
 * runs; silent unless stderr is a terminal ({@link Terminal}), so that piped output and
 * logs stay clean.
 */
final class Progress implements AutoCloseable {
  private final PrintStream err;
  private final String what;
  private final boolean shown;
  private final long total;
  private long count;
  private long drawnAt;

  /** {@code total} 0 when unknown. */
  Progress(PrintStream err, String what, long total, boolean shown) {
    this.err = err;
    this.what = what;
    this.total = total;
    this.shown = shown;
  }

  void add(long n) {
    count += n;
    long now = System.nanoTime();
    if (shown && now - drawnAt > 200_000_000L) {
      drawnAt = now;
      draw();
    }
  }

  private void draw() {
    if (total > 0) {
      int width = 30;
      int done = (int) Math.min(width, count * width / total);
      err.print("\r[" + "#".repeat(done) + " ".repeat(width - done) + "] " + count + "/" + total
          + " " + what);
    } else {
      err.print("\r" + count + " " + what);
    }
    err.flush();
  }

  @Override
  public void close() {
    if (shown && count > 0) {
      draw();
      err.println();
    }
  }
}
