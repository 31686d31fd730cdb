package io.rowstream.background;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A periodic task on a daemon thread of its own: one pass at a time, each next one a delay after
 * the end of the last (the delay the pass returns, or a fixed interval). A pass that throws is
 * logged and the loop goes on after its retry delay; {@link #close} stops it, waiting at most
 * {@link #STOP_BOUND} for a pass under way to end. Each pass is counted and timed in the loop's
 * {@link PassStats} (by name, a node id suffix such as {@code cluster-1}'s left out).
 */
public final class BackgroundLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BackgroundLoop.class);
  /** The longest {@link #close} waits for a pass under way. */
  public static final Duration STOP_BOUND = Duration.ofSeconds(5);

  /** One pass of a task; returns how long to wait before the next one. */
  @FunctionalInterface
  public interface Pass {
    Duration run();
  }

  private final String name;
  private final Pass pass;
  private final Duration retryDelay;
  private final ScheduledExecutorService timer;
  private final PassStats stats;
  /** The chain's next scheduled pass (set on the loop's thread, or before it runs). */
  private volatile ScheduledFuture<?> next;

  private BackgroundLoop(String name, Pass pass, Duration retryDelay) {
    this.name = name;
    this.stats = PassStats.of(name.replaceFirst("-\\d+$", ""));
    this.pass = pass;
    this.retryDelay = retryDelay;
    this.timer = Executors.newSingleThreadScheduledExecutor(
        Thread.ofPlatform().daemon().name(name).factory());
  }

  /**
   * Starts {@code pass} after {@code firstDelay}, then again after the delay each pass returns
   * ({@code retryDelay} after one that threw).
   */
  public static BackgroundLoop start(
      String name, Duration firstDelay, Duration retryDelay, Pass pass) {
    BackgroundLoop loop = new BackgroundLoop(name, pass, retryDelay);
    loop.schedule(firstDelay);
    return loop;
  }

  /** Runs {@code pass} every {@code interval}: the first one an interval after the start, each next one an interval after the last ended. */
  public static BackgroundLoop every(String name, Duration interval, Runnable pass) {
    return start(name, interval, interval, fixed(interval, pass));
  }

  /**
   * Runs {@code pass} once before returning (a failure logged), then every {@code interval} after
   * the last pass ended, as {@link #every}.
   */
  public static BackgroundLoop everyAfterFirstPass(String name, Duration interval, Runnable pass) {
    BackgroundLoop loop = new BackgroundLoop(name, fixed(interval, pass), interval);
    loop.passNowAndWait();
    loop.schedule(interval);
    return loop;
  }

  private static Pass fixed(Duration interval, Runnable pass) {
    return () -> {
      pass.run();
      return interval;
    };
  }

  /** An extra pass as soon as the loop's thread is free (the scheduled ones go on as before); nothing once closed. */
  public void passSoon() {
    try {
      timer.execute(this::runPass);
    } catch (RejectedExecutionException e) {
      LOG.debug("background loop stopped loop={}", name);
    }
  }

  /**
   * A pass as soon as the loop's thread is free in place of the scheduled one, the next counted
   * from it with the delay it returns (for a loop whose passes choose their pace); nothing once
   * closed.
   */
  public void passSoonInstead() {
    try {
      timer.execute(() -> {
        ScheduledFuture<?> scheduled = next;
        if (scheduled != null && scheduled.cancel(false)) {
          passAndReschedule();
        } else {
          runPass();
        }
      });
    } catch (RejectedExecutionException e) {
      LOG.debug("background loop stopped loop={}", name);
    }
  }

  /** An extra pass as soon as the loop's thread is free, returning when it has run (or failed, logged). */
  public void passNowAndWait() {
    try {
      timer.submit(this::runPass).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      LOG.warn("background pass failed loop={} error={}", name, String.valueOf(e.getCause()));
    } catch (RejectedExecutionException e) {
      LOG.debug("background loop stopped loop={}", name);
    }
  }

  private void passAndReschedule() {
    Duration next;
    try {
      next = runPass();
    } catch (Error e) {
      LOG.error("background loop stopped by an error loop={}", name, e);
      throw e;
    }
    schedule(next);
  }

  /** Runs one pass; the delay before the next: the pass's, or the retry delay when it threw. */
  private Duration runPass() {
    long start = System.nanoTime();
    try {
      return pass.run();
    } catch (RuntimeException e) {
      LOG.warn("background pass failed loop={} error={}", name, String.valueOf(e));
      return retryDelay;
    } finally {
      stats.record(System.nanoTime() - start);
    }
  }

  private void schedule(Duration delay) {
    try {
      next = timer.schedule(this::passAndReschedule, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      LOG.debug("background loop stopped loop={}", name);
    }
  }

  /** Stops the loop: no pass starts any more; waits at most {@link #STOP_BOUND} for one under way. */
  @Override
  public void close() {
    timer.shutdownNow();
    try {
      if (!timer.awaitTermination(STOP_BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn(
            "background pass still running after stop loop={} waitedMs={}",
            name,
            STOP_BOUND.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
