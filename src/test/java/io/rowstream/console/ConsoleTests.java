package io.rowstream.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.Browser;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;

/**
 * What the console's browser test classes share: one headless browser and one node per class (the
 * browser first, so that a machine without one skips before a node starts), the console's URL with
 * a fast refresh, and no script error on the page after any test.
 */
abstract class ConsoleTests {
  static Browser browser;
  static TestBroker broker;
  /** The client the test checks the console's work with. */
  static TestHttp http;
  /** {@code /v3/clusters/{cid}}. */
  static String base;
  /** The console, refreshing twice a second so that the tests see live changes soon. */
  static String ui;

  static void startConsole(Supplier<TestBroker> node, Function<TestBroker, TestHttp> client) {
    browser = Browser.start();
    broker = node.get();
    http = client.apply(broker);
    base = "/v3/clusters/" + http.clusterId();
    ui = http.baseUrl() + "/ui?poll=500";
  }

  @AfterAll
  static void stopConsole() {
    if (browser != null) {
      browser.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  @AfterEach
  void no_script_errors() {
    assertThat(browser.scriptErrors()).isEmpty();
  }
}
