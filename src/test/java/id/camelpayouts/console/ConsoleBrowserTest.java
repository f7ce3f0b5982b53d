package id.camelpayouts.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The console in a real browser (headless Chromium through Selenium) against the whole gateway
 * and its twin: what a person sees and reads. The actions are in ConsoleActionsBrowserTest.
 */
class ConsoleBrowserTest extends ConsoleBrowserSupport {

    @Test
    void signsInAndSeesTheOverviewWithTodaysPayouts() {
        paid("console-overview", 1_500_000);
        browser.signIn(API_KEY);

        assertThat(browser.text(By.id("who-name"))).isEqualTo("default");
        assertThat(browser.text(By.id("who-roles"))).isEqualTo("approve, operate, read, submit");
        // the tiles and today's table, from GET /api/stats, in rupiah with thousands separators
        String paidToday = browser.<String>waitFor(d -> count(d.findElement(By.cssSelector("[data-figure='payouts-today']")).getText()) >= 1
                ? d.findElement(By.cssSelector("#today tr[data-status='SUCCEEDED'] td.num:last-child")).getText() : null);
        assertThat(paidToday).matches("Rp [0-9]{1,3}(\\.[0-9]{3})+");
        assertThat(browser.text(By.cssSelector("[data-figure='success-rate-today']"))).endsWith("%");
        browser.waitFor(d -> d.findElement(By.cssSelector("#chart canvas")));
        assertThat(browser.text(By.id("updated"))).contains("WIB").contains("UTC");
        // the key is kept for this tab only
        assertThat(browser.script("return sessionStorage.getItem('camel-payouts.console.key')")).isEqualTo(API_KEY);
        assertThat(browser.script("return localStorage.length + document.cookie.length")).isEqualTo(0L);
    }

    @Test
    void aWrongKeyIsToldClearlyAndNotKept() {
        browser.signOut();
        browser.type(By.id("api-key"), "not-a-key-of-this-gateway");
        browser.click(By.id("sign-in"));

        assertThat(browser.text(By.id("sign-in-error")))
                .contains("did not accept this API key (401)").contains("Check the key and sign in again");
        assertThat(browser.driver().findElements(By.id("who-name"))).isEmpty();
        assertThat(browser.script("return sessionStorage.length")).isEqualTo(0L);
    }

    @Test
    void aDroppedPayrollFileIsWatchedToOneHundredPercent() throws Exception {
        browser.signIn(API_KEY);
        String name = "payroll-" + System.nanoTime() % 1_000_000 + ".csv";
        StringBuilder file = new StringBuilder("reference,bankCode,accountNumber,accountName,amount,purpose\n");
        for (int row = 1; row <= 6; row++) {
            file.append(name, 0, name.length() - 4).append('-').append(row).append(",014,8760673566,,")
                    .append(100_000 * row).append(",December salary\n");
        }
        file.append(name, 0, name.length() - 4).append("-7,014,12-34,,abc,a row with every problem\n");
        Files.createDirectories(inbox);
        Path partial = inbox.resolve("." + name + ".part");
        Files.writeString(partial, file);
        Files.move(partial, inbox.resolve(name));

        browser.open("#/batches");
        browser.click(By.linkText(name));
        String progress = browser.textOnce(By.cssSelector("#batch-summary .progress-label"), label -> label.startsWith("100 %"));

        assertThat(progress).isEqualTo("100 % · 7 of 7 final");
        assertThat(browser.text(By.cssSelector("#batch-summary tr[data-status='SUCCEEDED'] td:nth-child(2)"))).isEqualTo("6");
        assertThat(browser.text(By.cssSelector("#batch-summary tr[data-status='SUCCEEDED'] td:nth-child(3)")))
                .isEqualTo("Rp 2.100.000");
        assertThat(browser.text(By.cssSelector("#batch-summary tr[data-status='REJECTED'] td:nth-child(2)"))).isEqualTo("1");
        browser.waitFor(d -> d.findElements(By.cssSelector("#batch-rows tbody tr")).size() == 6 ? true : null);
        assertThat(browser.act(By.id("download-results")))
                .isEqualTo("Saved " + name.replace(".csv", "") + ".results.csv.");
    }

    @Test
    void aPayoutsPageShowsItsHistoryAsATimeline() {
        String reference = reference("console-history");
        // Duitku's sandbox account that answers the transfer with TO: PENDING, then SUCCEEDED by status inquiry
        assertThat(post("/api/payouts", instruction(reference, "8760673561", 250_000)).status()).isEqualTo(202);
        browser.signIn(API_KEY);
        browser.open("#/payouts");
        browser.type(By.id("filter-referencePrefix"), reference);
        browser.click(By.id("search"));
        browser.click(By.linkText(reference));

        List<WebElement> entries = browser.waitFor(d -> {
            List<WebElement> found = d.findElements(By.cssSelector("#timeline li"));
            return found.stream().anyMatch(li -> "status-inquiry".equals(li.getAttribute("data-cause"))) ? found : null;
        });

        assertThat(entries.get(0).getAttribute("data-cause")).isEqualTo("intake");
        assertThat(entries.get(0).getText()).contains("received by default").contains("WIB").contains("UTC");
        assertThat(browser.text(By.id("timeline"))).contains("TO Time Out").contains("PENDING → SUCCEEDED status inquiry");
        assertThat(browser.text(By.id("payout-status"))).isEqualTo("SUCCEEDED");
        assertThat(browser.text(By.id("payout-amount"))).isEqualTo("Rp 250.000");
        assertThat(browser.text(By.id("no-actions"))).isEqualTo("SUCCEEDED is final: there is nothing to do.");
    }

    @Test
    void theSearchPagesByCursorAndExportsTheFilter() {
        String prefix = reference("console-page");
        for (int i = 1; i <= 3; i++) {
            assertThat(post("/api/payouts", instruction(prefix + "-" + i, "8760673566", 10_000L * (i + 1))).status())
                    .isEqualTo(202);
        }
        browser.signIn(API_KEY);
        browser.open("#/payouts?referencePrefix=" + prefix + "&limit=2");

        assertThat(browser.text(By.id("page-info"))).isEqualTo("Page 1 · 2 payouts · more on the next page");
        assertThat(references()).containsExactly(prefix + "-3", prefix + "-2");
        browser.click(By.id("next-page"));
        browser.textOnce(By.id("page-info"), text -> text.startsWith("Page 2"));
        assertThat(references()).containsExactly(prefix + "-1");
        browser.click(By.id("previous-page"));
        browser.textOnce(By.id("page-info"), text -> text.startsWith("Page 1"));
        assertThat(references()).containsExactly(prefix + "-3", prefix + "-2");
        assertThat(browser.text(By.cssSelector("#results tr[data-reference='" + prefix + "-3'] td.num"))).isEqualTo("Rp 40.000");

        assertThat(browser.act(By.id("export-csv")))
                .matches("Exported 3 payouts to payouts-[0-9T]+Z\\.csv\\.");
    }

    @Test
    void aFilterTheGatewayRefusesIsNamed() {
        browser.signIn(API_KEY);
        browser.open("#/payouts?amountMin=500&amountMax=100");

        assertThat(browser.text(By.id("search-error"))).isEqualTo(
                "The gateway refused the request (400): amountMax: must not be below amountMin.");
    }

    @Test
    void aReadOnlyKeySeesNoActionsAndTheApiPageRendersTheDocument() {
        String reference = paid("console-reader", 50_000);
        browser.signIn(READER_KEY);
        assertThat(browser.text(By.id("who-roles"))).isEqualTo("read");
        browser.open("#/payouts/" + reference);
        assertThat(browser.text(By.id("no-actions"))).isEqualTo("SUCCEEDED is final: there is nothing to do.");

        browser.click(By.linkText("API"));
        List<WebElement> operations = browser.waitFor(d -> {
            List<WebElement> found = d.findElements(By.cssSelector("#swagger .opblock"));
            return found.size() >= 10 ? found : null;
        });
        assertThat(operations).anySatisfy(operation -> assertThat(operation.getText()).contains("/api/payouts/{reference}/history"));
        assertThat(browser.text(By.cssSelector("#swagger .info .title"))).contains("camel-payouts HTTP API");
    }

    /** Without a browser: the console's files and its two reads, as any client gets them. */
    @Test
    void theFilesComeWithTheirGuardsAndTheReadsNameTheirProblems() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(uri("/console/")).build(), BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp)
                .contains("default-src 'self'").contains("script-src 'self';").contains("frame-ancestors 'none'"));
        assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        // the route's no-cache never reached the browser (Camel's HTTP header filter drops Cache-Control)
        assertThat(page.headers().firstValue("Cache-Control")).as("revalidated at every use").hasValue("no-cache");
        String etag = page.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> again = http.send(HttpRequest.newBuilder(uri("/console/")).header("If-None-Match", etag).build(),
                BodyHandlers.ofString());
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        HttpResponse<String> outside = http.send(HttpRequest.newBuilder(uri("/console/js/..%2F..%2Fapplication.properties"))
                .build(), BodyHandlers.ofString());
        assertThat(outside.statusCode()).isEqualTo(404);
        assertThat(outside.body()).doesNotContain("payouts.");

        assertThat(get("/api/whoami", READER_KEY).json()).isEqualTo(Map.of("name", "reader", "roles", List.of("read")));
        assertThat(get("/api/whoami", "wrong-key").status()).isEqualTo(401);
        assertThat(get("/api/stats?from=2026-12-01T00:00:00Z", SUBMITTER_KEY).status()).isEqualTo(403);
        assertThat(get("/api/stats").json().get("problems")).asList()
                .containsExactly("from: required, an ISO-8601 instant (the start of the range, inclusive)");
        assertThat(get("/api/stats?from=2026-12-01T00:00:00Z&to=2026-12-03T00:00:00Z&bucket=minute").json().get("error"))
                .isEqualTo("bucket: at most 1440 buckets (a day of minutes); use hour");
    }

    /** A payout to Duitku's sandbox account that pays, submitted and paid; its reference. */
    private String paid(String label, long amount) {
        String reference = reference(label);
        assertThat(post("/api/payouts", instruction(reference, "8760673566", amount)).status()).isEqualTo(202);
        assertThat(awaitFinal(reference).getStatus()).isEqualTo("SUCCEEDED");
        return reference;
    }

    private List<String> references() {
        return browser.waitFor(d -> d.findElements(By.cssSelector("#results tbody tr"))).stream()
                .map(row -> row.getAttribute("data-reference")).toList();
    }

    private static long count(String figure) {
        String digits = figure.replaceAll("[^0-9]", "");
        return digits.isEmpty() ? -1 : Long.parseLong(digits);
    }
}
