package io.rowstream.group;

import io.rowstream.error.BrokerException;
import java.util.BitSet;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's compiled topic patterns and what each has matched, so that a subscription read, a
 * rebalance or a reaper pass runs a pattern only over topic names it has not seen yet: a
 * verdict is a function of the pattern and the name alone, so it holds for as long as both
 * exist, whatever list of topics a caller passes (all of them, or those a principal may read).
 *
 * <p>Bounded: at most {@link #MAX_PATTERNS} patterns, the least recently used dropped first, and
 * at most {@link #MAX_NAMES} distinct topic names remembered (past that, everything is forgotten
 * and rebuilt). A pattern's verdicts are two bits per name. Callers match before they open a
 * transaction (subscribe, the reaper, a subscription read), so that the matching done inside one
 * is only for topics created since.
 *
 * <p>A pattern stored before the broker refused such patterns (a lookahead accepted by
 * {@code java.util.regex}) matches no topic, with a warning when it is first read; subscribing
 * with it again is refused with the reason ({@link TopicPattern#compile}).
 */
public final class PatternMatches {
  private static final Logger LOG = LoggerFactory.getLogger(PatternMatches.class);
  static final int MAX_PATTERNS = 1024;
  static final int MAX_NAMES = 1_000_000;

  /** One pattern: compiled (null when refused) and its verdicts by name id. */
  private static final class Verdicts {
    private final TopicPattern pattern;
    private final BitSet checked = new BitSet();
    private final BitSet matched = new BitSet();

    Verdicts(TopicPattern pattern) {
      this.pattern = pattern;
    }
  }

  /** Name ids and the patterns' verdicts on them; replaced whole when the names outgrow their bound. */
  private static final class State {
    private final ConcurrentHashMap<String, Integer> ids = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger();
    private final Map<String, Verdicts> patterns = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Verdicts> eldest) {
        return size() > MAX_PATTERNS;
      }
    };

    int id(String name) {
      return ids.computeIfAbsent(name, n -> nextId.getAndIncrement());
    }
  }

  private volatile State state = new State();
  private final AtomicLong evaluations = new AtomicLong();

  /** The names among {@code topics} that {@code pattern} matches, sorted; none when it is refused. */
  public Set<String> select(String pattern, Collection<String> topics) {
    State current = state;
    if (current.ids.size() > MAX_NAMES) {
      state = new State();
      current = state;
    }
    Verdicts verdicts = verdicts(current, pattern);
    Set<String> out = new TreeSet<>();
    if (verdicts.pattern == null) {
      return out;
    }
    // One caller at a time per pattern: a second one waits for the first one's verdicts, rather
    // than running the same pattern over the same names beside it.
    synchronized (verdicts) {
      for (String topic : topics) {
        int id = current.id(topic);
        if (!verdicts.checked.get(id)) {
          evaluations.incrementAndGet();
          verdicts.matched.set(id, verdicts.pattern.matches(topic));
          verdicts.checked.set(id);
        }
        if (verdicts.matched.get(id)) {
          out.add(topic);
        }
      }
    }
    return out;
  }

  /** How many times a pattern has been run over a name on this node (each once per pattern and name). */
  long evaluations() {
    return evaluations.get();
  }

  private static Verdicts verdicts(State state, String source) {
    synchronized (state.patterns) {
      Verdicts found = state.patterns.get(source);
      if (found != null) {
        return found;
      }
    }
    Verdicts made = new Verdicts(compiledOrNull(source));
    synchronized (state.patterns) {
      return state.patterns.computeIfAbsent(source, s -> made);
    }
  }

  private static TopicPattern compiledOrNull(String source) {
    try {
      return TopicPattern.compile(source);
    } catch (BrokerException e) {
      // The pattern is a client's text: its length, not the text, goes to the log.
      LOG.warn(
          "a stored topic_pattern the broker no longer accepts matches no topic length={}",
          source.length());
      return null;
    }
  }
}
