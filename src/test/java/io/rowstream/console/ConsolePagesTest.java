package io.rowstream.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.support.Await;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The web console in a real headless Chromium against a node with data (authentication off): each
 * page is opened, its main actions are clicked through, what it shows is checked against the API,
 * and a screenshot of it is kept under {@code target/ui-screenshots/}.
 */
class ConsolePagesTest extends ConsoleTests {
  private static final int PER_PARTITION = 10;

  @BeforeAll
  static void start() {
    startConsole(() -> TestBroker.start("console_pages"), TestBroker::http);
    http.createTopic("orders", 3);
    produce("orders", 3 * PER_PARTITION);
    http.createTopic("payments", 3, Map.of("retention.ms", "86400000"));
    produce("payments", 90);
    http.createTopic("audit-log", 3, Map.of("cleanup.policy", "compact", "retention.ms", "-1"));
    // audit: committed everything, then its member left (a group that may be reset).
    String audit = member("audit", "a1");
    commitAll(audit);
    assertThat(http.delete(audit).status()).isEqualTo(204);
    // billing: a live member.
    commitAll(member("billing", "b1"));
  }

  private static void produce(String topic, int count) {
    StringBuilder records = new StringBuilder();
    for (int i = 0; i < count; i++) {
      records
          .append(i == 0 ? "" : ",")
          .append("{\"partition\":")
          .append(i % 3)
          .append(",\"key\":\"customer-")
          .append(i % 4)
          .append("\",\"value\":{\"item\":\"book\",\"qty\":")
          .append(i)
          .append("}}");
    }
    http.post("/topics/" + topic, TestHttp.JSON, "{\"records\":[" + records + "]}")
        .expectStatus(200);
  }

  /** A subscribed member of a group, by its base path. */
  private static String member(String group, String name) {
    JsonNode created = http.post(
            "/consumers/" + group,
            TestHttp.V2,
            "{\"name\":\"" + name + "\",\"format\":\"json\",\"auto.offset.reset\":\"earliest\"}")
        .expectStatus(200)
        .json();
    String path = created.get("base_uri").asText().substring(http.baseUrl().length());
    http.post(path + "/subscription", TestHttp.V2, "{\"topics\":[\"orders\"]}").expectStatus(204);
    return path;
  }

  /** Commits the member's offsets at the log end of every partition (its lag 0). */
  private static void commitAll(String member) {
    String offsets = "{\"offsets\":["
        + String.join(
            ",",
            List.of(0, 1, 2).stream()
                .map(p -> "{\"topic\":\"orders\",\"partition\":" + p + ",\"offset\":"
                    + (logEnd("orders", p) - 1) + "}")
                .toList())
        + "]}";
    Await.until(
        "the member's commit is taken once it holds its partitions",
        Duration.ofSeconds(20),
        () -> http.post(member + "/offsets", TestHttp.V2, offsets).status() == 200);
  }

  private static long logEnd(String topic, int partition) {
    return http.get(base + "/topics/" + topic + "/partitions/" + partition)
        .json()
        .get("log_end_offset")
        .asLong();
  }

  private static long totalLag(String group) {
    return http.get(base + "/consumer-groups/" + group + "/lag-summary")
        .json()
        .get("total_lag")
        .asLong();
  }

  @Test
  void the_topics_page_lists_partitions_records_size_retention_and_a_live_message_rate() {
    browser.open(ui + "#/topics");
    List<String> row = browser.row("topics", "orders");
    assertThat(row.get(0)).isEqualTo("orders");
    assertThat(row.get(1)).isEqualTo("3");
    assertThat(row.get(4)).isEqualTo("7 d");
    assertThat(row.get(3)).endsWith("B");
    String records = row.get(2);

    // Records arrive: the list refreshes itself (no reload) and shows a rate from its samples.
    produce("orders", 30);
    browser.until(
        "the list shows the new records and a rate",
        d -> !browser.row("topics", "orders").get(2).equals(records)
            && !browser.row("topics", "orders").get(5).equals("—"));
    assertThat(browser.row("topics", "orders").get(5)).endsWith("/s");
    assertThat(browser.row("topics", "audit-log").get(4)).isEqualTo("forever");
    browser.screenshot("topics");
    // The README's picture of the console: the same page in a shorter window.
    browser.size(1280, 560);
    try {
      browser.screenshot("console-topics");
    } finally {
      browser.size(1280, 900);
    }
  }

  @Test
  void a_topic_shows_its_partitions_replicas_segments_and_stores_an_edited_config() {
    browser.open(ui + "#/topics/orders");
    List<String> p0 = browser.row("partitions", "0");
    JsonNode api = http.get(base + "/topics/orders/partitions/0").json();
    assertThat(p0.get(1)).isEqualTo(String.valueOf(broker.node(0).services().nodeId()));
    assertThat(p0.get(2)).isEqualTo(api.get("leader_epoch").asText());
    assertThat(p0.get(3)).contains("leader");
    assertThat(p0.get(5))
        .isEqualTo(String.format("%,d", api.get("log_end_offset").asLong()));
    assertThat(browser.row("segments", "0").get(0)).isEqualTo("0");

    WebElement retention = browser.shown(By.cssSelector("input[name='retention.ms']"));
    retention.clear();
    retention.sendKeys("3600000");
    browser.click(By.cssSelector("button[data-config='retention.ms']"));
    Await.until(
        "retention.ms is stored",
        Duration.ofSeconds(10),
        () -> http.get(base + "/topics/orders/configs/retention.ms")
            .json()
            .get("value")
            .asText()
            .equals("3600000"));
    browser.until(
        "the config table shows the stored value as set on the topic",
        d -> browser.row("configs", "retention.ms").get(2).equals("DYNAMIC_TOPIC_CONFIG"));
    browser.screenshot("topic");

    browser.type(By.id("add-partitions-count"), "4");
    browser.click(By.cssSelector("#add-partitions button[type=submit]"));
    browser.row("partitions", "3");
    assertThat(http.get(base + "/topics/orders").json().get("partitions_count").asInt())
        .isEqualTo(4);
  }

  @Test
  void deleting_a_topic_waits_for_its_name_to_be_typed() {
    http.createTopic("scratch", 1);
    browser.open(ui + "#/topics/scratch");
    browser.click(By.id("delete-topic"));
    WebElement really = browser.shown(By.id("delete-topic-confirm"));
    assertThat(really.isEnabled()).isFalse();
    browser.type(By.id("delete-confirm"), "scratch");
    assertThat(really.isEnabled()).isTrue();
    really.click();
    browser.row("topics", "orders");
    assertThat(http.get(base + "/topics/scratch").status()).isEqualTo(404);
  }

  @Test
  void
      the_message_browser_reads_from_an_offset_a_time_or_the_end_shows_json_text_or_hex_and_exports() {
    browser.open(ui + "#/messages?topic=orders&partition=1&offset=2");
    List<String> first = browser.row("records", "2");
    // Partition 1's third record is the eighth produced (i = 7).
    assertThat(first.get(2)).isEqualTo("\"customer-3\"");
    assertThat(first.get(3)).contains("\"qty\": 7");

    browser.click(By.cssSelector("button[data-format='hex']"));
    browser.until(
        "values shown as hex",
        d -> browser.row("records", "2").get(3).startsWith("7b 22 69 74 65 6d 22"));
    browser.click(By.cssSelector("button[data-format='text']"));
    browser.until(
        "values shown as text",
        d -> browser.row("records", "2").get(3).equals("{\"item\":\"book\",\"qty\":7}"));
    browser.screenshot("messages");

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> exported = (List<Map<String, Object>>)
        browser.asyncScript(
            "const done = arguments[arguments.length - 1];"
                + "fetch(document.getElementById('export').href).then(r => r.json()).then(done, e => done(String(e)));");
    long shown = browser
        .driver()
        .findElements(By.cssSelector("table[data-table='records'] tbody tr"))
        .size();
    assertThat(exported).hasSize((int) shown);
    assertThat(exported.getFirst()).containsEntry("offset", 2L).containsEntry("partition", 1L);
    assertThat(exported.getFirst().get("value")).isEqualTo("{\"item\":\"book\",\"qty\":7}");

    // The latest 3, then from a time after every record: nothing.
    new Select(browser.shown(By.id("browse-mode"))).selectByValue("latest");
    browser.type(By.id("browse-count"), "3");
    browser.click(By.id("browse-load"));
    long end = logEnd("orders", 1);
    browser.row("records", String.valueOf(end - 1));
    assertThat(browser
            .driver()
            .findElements(By.cssSelector("table[data-table='records'] tbody tr"))
            .size())
        .isEqualTo(3);
    new Select(browser.shown(By.id("browse-mode"))).selectByValue("time");
    browser.script(
        "document.getElementById('browse-time').value = arguments[0];", "2999-01-01T00:00:00");
    browser.click(By.id("browse-load"));
    browser.text(By.id("records-summary"), "No records there.");
    browser.script(
        "document.getElementById('browse-time').value = arguments[0];", "2000-01-01T00:00:00");
    browser.click(By.id("browse-load"));
    browser.row("records", "0");
  }

  @Test
  void a_record_produced_from_the_console_is_stored_and_shown_with_its_header() {
    browser.open(ui + "#/produce?topic=orders");
    browser.shown(By.id("produce-topic"));
    browser.type(By.id("produce-partition"), "2");
    browser.type(By.id("produce-key"), "from-console");
    browser.type(By.id("produce-value"), "{\"hello\":\"console\"}");
    browser.click(By.id("produce-add-header"));
    browser.type(By.cssSelector("#produce-headers input[name='header-name']"), "trace");
    browser.type(By.cssSelector("#produce-headers input[name='header-value']"), "abc-123");
    browser.click(By.id("produce-send"));
    String result = browser.text(By.id("produce-result"), "Sent to orders-2 at offset");
    browser.screenshot("produce");
    long offset = Long.parseLong(result.replaceAll(".*at offset (\\d+).*", "$1").trim());

    JsonNode stored = http.get(
            "/topics/orders/partitions/2/records?offset=" + offset, "Accept", TestHttp.BINARY)
        .json()
        .get(0);
    assertThat(stored.get("offset").asLong()).isEqualTo(offset);
    assertThat(decode(stored.get("key").asText())).isEqualTo("from-console");
    assertThat(decode(stored.get("value").asText())).isEqualTo("{\"hello\":\"console\"}");
    assertThat(stored.get("headers").get(0).get("name").asText()).isEqualTo("trace");
    assertThat(decode(stored.get("headers").get(0).get("value").asText())).isEqualTo("abc-123");

    browser.click(By.id("produce-see"));
    List<String> row = browser.row("records", String.valueOf(offset));
    assertThat(row.get(2)).isEqualTo("from-console");
    assertThat(row.get(4)).isEqualTo("trace: abc-123");
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }

  @Test
  void the_group_pages_show_state_members_and_lag_and_the_lag_chart_follows_new_records() {
    browser.open(ui + "#/groups");
    List<String> billing = browser.row("groups", "billing");
    assertThat(billing.get(1)).isEqualTo("STABLE");
    assertThat(billing.get(4)).isEqualTo("1");
    assertThat(browser.row("groups", "audit").get(4)).isEqualTo("0");
    browser.screenshot("groups");

    browser.open(ui + "#/groups/billing");
    String member = http.get(base + "/consumer-groups/billing/consumers")
        .json()
        .get("data")
        .get(0)
        .get("consumer_id")
        .asText();
    assertThat(browser.row("members", member).get(2)).contains("orders-0", "orders-1", "orders-2");
    browser.text(By.id("total-lag"), String.valueOf(totalLag("billing")));
    browser.shown(By.cssSelector("#lag-chart svg"));

    // New records: the lag table, the total and the chart follow without a reload.
    long before = totalLag("billing");
    produce("orders", 9);
    long after = totalLag("billing");
    assertThat(after).isEqualTo(before + 9);
    browser.text(By.id("total-lag"), String.format("%,d", after));
    browser.until(
        "the chart draws the total lag as a line of several samples",
        d -> !d.findElements(By.cssSelector("#lag-chart polyline[data-series='total']"))
            .isEmpty());
    browser.screenshot("group");
  }

  @Test
  void resetting_offsets_moves_the_lag_shown_and_is_refused_while_members_are_live() {
    browser.open(ui + "#/groups/audit");
    browser.row("lags", "orders-0");
    new Select(browser.shown(By.id("reset-strategy"))).selectByValue("earliest");
    browser.click(By.id("reset-preview"));
    browser.text(By.id("reset-result"), "Preview: nothing was changed");
    assertThat(browser.row("reset-result", "orders-0").get(2)).isEqualTo("0");
    assertThat(committed("audit", 0)).isPositive();

    browser.click(By.id("reset-apply"));
    browser.text(By.id("reset-result"), "Offsets reset");
    long lag = totalLag("audit");
    assertThat(committed("audit", 0)).isZero();
    assertThat(lag).isEqualTo(logEnd("orders", 0) + logEnd("orders", 1) + logEnd("orders", 2));
    browser.text(By.id("total-lag"), String.format("%,d", lag));
    browser.screenshot("group-reset");

    // One partition to an offset of its own.
    new Select(browser.shown(By.id("reset-strategy"))).selectByValue("offsets");
    WebElement p1 = browser.shown(By.cssSelector("#reset-offsets input[data-partition='1']"));
    p1.clear();
    p1.sendKeys("5");
    browser.click(By.id("reset-apply"));
    browser.text(By.id("reset-result"), "Offsets reset");
    assertThat(committed("audit", 1)).isEqualTo(5);
    assertThat(committed("audit", 0)).isZero();
    browser.until(
        "the lag table shows the new commit",
        d -> browser.row("lags", "orders-1").get(2).equals("5"));

    // billing has a live member: refused, as Kafka refuses it, and nothing changes.
    long billing = committed("billing", 0);
    browser.open(ui + "#/groups/billing");
    browser.row("lags", "orders-0");
    browser.click(By.id("reset-apply"));
    browser.text(By.id("reset-result"), "Refused");
    assertThat(committed("billing", 0)).isEqualTo(billing);
  }

  @Test
  void deleting_a_group_waits_for_its_name_and_is_refused_while_members_are_live() {
    String member = member("stale", "s1");
    commitAll(member);
    browser.open(ui + "#/groups/stale");
    browser.row("lags", "orders-0");
    browser.click(By.id("delete-group"));
    browser.type(By.id("delete-group-confirm-name"), "stale");
    browser.click(By.id("delete-group-confirm"));
    browser.text(By.id("delete-group-result"), "Refused");
    assertThat(http.get(base + "/consumer-groups/stale").status()).isEqualTo(200);

    assertThat(http.delete(member).status()).isEqualTo(204);
    browser.click(By.id("delete-group-confirm"));
    browser.row("groups", "billing");
    assertThat(http.get(base + "/consumer-groups/stale").status()).isEqualTo(404);
  }

  private static long committed(String group, int partition) {
    return http.get(base + "/consumer-groups/" + group + "/lags/orders/partitions/" + partition)
        .json()
        .get("current_offset")
        .asLong();
  }

  @Test
  void the_brokers_page_shows_the_controller_its_lease_and_how_many_partitions_it_leads() {
    browser.open(ui + "#/brokers");
    String id = String.valueOf(broker.node(0).services().nodeId());
    List<String> row = browser.row("brokers", id);
    long leads = http
        .get(base + "/brokers/" + id + "/partition-replicas")
        .json()
        .findValues("is_leader")
        .stream()
        .filter(JsonNode::asBoolean)
        .count();
    assertThat(row.get(2)).contains("LIVE").contains("controller");
    assertThat(row.get(4)).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}");
    assertThat(row.get(5)).isEqualTo(String.valueOf(leads));
    browser.text(By.id("controller"), "broker " + id);
    browser.screenshot("brokers");
  }

  @Test
  void a_narrow_window_keeps_every_page_within_its_width() {
    browser.size(420, 860);
    try {
      for (String page :
          List.of("topics", "topics/orders", "messages", "groups/audit", "brokers")) {
        browser.open(ui + "#/" + page);
        browser.shown(By.cssSelector("main table tbody tr"));
        Long overflow = (Long)
            browser.script("return document.documentElement.scrollWidth - window.innerWidth;");
        assertThat(overflow).as(page).isLessThanOrEqualTo(0L);
      }
      browser.open(ui + "#/topics");
      browser.row("topics", "orders");
      browser.screenshot("topics-narrow");
    } finally {
      browser.size(1280, 900);
    }
  }
}
