package io.rowstream.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

/**
 * The web console with authentication on, in a real headless Chromium: it asks for credentials
 * (a user's password or an API key), keeps them in the tab's session only, and its security page
 * manages users, ACLs and API keys through the API.
 */
class ConsoleLoginTest extends ConsoleTests {
  @BeforeAll
  static void start() {
    startConsole(() -> TestBroker.startWithAuth("console_login"), ConsoleLoginTest::checker);
    http.createTopic("payments", 2);
  }

  /**
   * The test's own client: the super user through an API key, whose check is a hash lookup, so
   * that the browser's password checks (bcrypt, one at a time per node) never hold it up.
   */
  private static TestHttp checker(TestBroker node) {
    TestHttp admin = node.admin();
    String token = admin
        .post(
            "/v3/clusters/" + admin.clusterId() + "/api-keys",
            "application/json",
            "{\"principal\":\"" + TestBroker.ADMIN + "\",\"description\":\"the test's checks\"}")
        .expectStatus(201)
        .json()
        .get("token")
        .asText();
    return node.http().withAuthorization("Bearer " + token);
  }

  @BeforeEach
  void signed_out() {
    browser.open(ui + "#/topics");
    browser.script("sessionStorage.clear();");
    browser.driver().navigate().refresh();
  }

  private static void signIn(String mode, String user, String secret) {
    browser.shown(By.id("login"));
    new Select(browser.shown(By.id("login-mode"))).selectByValue(mode);
    browser.type(By.id("login-user"), user);
    browser.type(By.id("login-password"), secret);
    browser.click(By.id("login-submit"));
  }

  @Test
  void the_console_asks_for_credentials_refuses_wrong_ones_and_keeps_them_in_the_tab_only() {
    browser.shown(By.id("login"));
    assertThat(browser.driver().findElement(By.id("nav-security")).isDisplayed())
        .isFalse();
    browser.screenshot("login");

    signIn("password", TestBroker.ADMIN, "wrong");
    browser.text(By.id("login"), "Wrong credentials.");

    signIn("password", TestBroker.ADMIN, TestBroker.ADMIN_PASSWORD);
    assertThat(browser.row("topics", "payments").get(1)).isEqualTo("2");
    assertThat(browser.shown(By.id("nav-security")).isDisplayed()).isTrue();
    browser.text(By.id("who"), "Signed in: admin");
    assertThat(browser.script("return localStorage.length;")).isEqualTo(0L);
    assertThat(browser.script("return document.cookie;")).isEqualTo("");
    assertThat((String) browser.script("return sessionStorage.getItem('rowstream.authorization');"))
        .startsWith("Basic ");

    browser.click(By.id("logout"));
    browser.shown(By.id("login"));
    assertThat(browser.script("return sessionStorage.getItem('rowstream.authorization');"))
        .isNull();
  }

  @Test
  void the_security_page_adds_a_user_an_acl_and_an_api_key_that_then_signs_in() {
    signIn("password", TestBroker.ADMIN, TestBroker.ADMIN_PASSWORD);
    browser.row("topics", "payments");
    browser.click(By.id("nav-security"));
    browser.row("users", "admin");

    browser.type(By.id("user-name"), "viewer");
    browser.type(By.id("user-password"), "viewer-pw-1");
    browser.click(By.cssSelector("#user-create button[type=submit]"));
    browser.row("users", "viewer");
    assertThat(http.get(base + "/users").expectStatus(200).json().findValuesAsText("name"))
        .contains("viewer");

    browser.type(By.id("acl-resource"), "payments");
    browser.type(By.id("acl-principal"), "User:viewer");
    new Select(browser.shown(By.cssSelector("#acl-create select[name=operation]")))
        .selectByValue("DESCRIBE");
    browser.click(By.cssSelector("#acl-create button[type=submit]"));
    List<String> acl = browser.row("acls", "User:viewer DESCRIBE TOPIC:payments");
    assertThat(acl.get(1)).isEqualTo("ALLOW");
    JsonNode acls = http.get(base + "/acls?principal=User:viewer").json().get("data");
    assertThat(acls).hasSize(1);
    assertThat(acls.get(0).get("operation").asText()).isEqualTo("DESCRIBE");

    browser.type(By.id("key-principal"), "viewer");
    browser.type(By.id("key-description"), "console test");
    browser.click(By.cssSelector("#api-key-create button[type=submit]"));
    String token = browser.shown(By.id("api-key-token")).getText();
    assertThat(token).startsWith("rsk_");
    String keyId = token.split("_")[1];
    browser.row("api-keys", keyId);
    browser.screenshot("security");

    // The key signs in (the whole token as the secret): it sees the topic its ACL lets it see.
    browser.click(By.id("logout"));
    signIn("key", "", token);
    browser.text(By.id("who"), "key " + keyId);
    browser.click(By.cssSelector("#nav a[data-page='topics']"));
    assertThat(browser.row("topics", "payments").get(0)).isEqualTo("payments");
  }
}
