package id.camelpayouts.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard and the Prometheus alert rules parse and are complete: every panel and
 * rule has what Grafana and Prometheus need, every query is well bracketed, and every label value
 * a query matches on is one the gateway emits. (That every metric they use is exported is checked
 * against a real scrape by gateway.MetricsTest.)
 */
class ObservabilityFilesTest {

    private static final Pattern LABEL_MATCH = Pattern.compile("\\b(outcome|result|status|kind|operation)=~?\"([^\"]*)\"");
    private static final Map<String, Set<String>> EMITTED = Map.of(
            "outcome", Set.of(ProviderCall.SUCCESS, ProviderCall.DECLINED, ProviderCall.UNKNOWN,
                    ProviderCall.TRANSPORT_ERROR),
            "result", Set.copyOf(PayoutMetrics.CALLBACK_RESULTS),
            "status", Set.of("SUCCEEDED", "FAILED", "REJECTED"),
            "kind", Set.copyOf(PayoutMetrics.INTAKE_REFUSALS),
            "operation", Set.of("inquiry", "transfer", "cashout", "status", "balance", "banks", "other"));

    @Test
    void theDashboardHasEveryPanelTheTeamWatches() throws Exception {
        JsonNode dashboard = ObservabilityFiles.dashboard(Path.of(ObservabilityFiles.DASHBOARD));
        assertThat(dashboard.path("title").asText()).isEqualTo("camel-payouts");
        assertThat(dashboard.path("uid").asText()).isNotBlank();

        List<String> titles = new ArrayList<>();
        Set<Integer> ids = new HashSet<>();
        boolean[][] grid = new boolean[24][200];
        for (JsonNode panel : ObservabilityFiles.panels(dashboard)) {
            assertThat(ids.add(panel.path("id").asInt())).as("unique panel id").isTrue();
            occupy(grid, panel);
            if ("row".equals(panel.path("type").asText())) {
                continue;
            }
            String title = panel.path("title").asText();
            titles.add(title);
            assertThat(panel.path("description").asText()).as(title).isNotBlank();
            assertThat(panel.path("datasource").path("uid").asText()).as(title).isEqualTo("${datasource}");
            assertThat(panel.path("targets")).as(title).isNotEmpty();
            for (JsonNode target : panel.path("targets")) {
                assertThat(target.path("expr").asText()).as(title).contains("payouts_");
            }
        }
        assertThat(titles).contains("Payouts per minute by final status", "Success rate", "Paid out",
                "Rupiah paid per hour by rail", "Pending and review required",
                "Provider call latency p50 by operation and outcome",
                "Provider call latency p99 by operation and outcome", "Callbacks per minute by result", "Conflicts",
                "Time from intake to final, p50 and p99");
        for (String query : ObservabilityFiles.dashboardQueries(dashboard)) {
            wellFormed(query);
        }
    }

    @Test
    void theAlertRulesAreCompletePrometheusRules() throws Exception {
        JsonNode alerts = ObservabilityFiles.alerts(Path.of(ObservabilityFiles.ALERTS));
        assertThat(alerts.path("groups")).hasSize(1);
        assertThat(alerts.path("groups").get(0).path("name").asText()).isEqualTo("camel-payouts");

        List<String> names = new ArrayList<>();
        for (JsonNode rule : ObservabilityFiles.rules(alerts)) {
            String name = rule.path("alert").asText();
            names.add(name);
            assertThat(name).matches("Payouts[A-Z][A-Za-z]+");
            wellFormed(rule.path("expr").asText());
            if (rule.has("for")) {
                assertThat(rule.path("for").asText()).as(name).matches("\\d+[smh]");
            }
            assertThat(rule.path("labels").path("severity").asText()).as(name).isIn("critical", "warning");
            assertThat(rule.path("annotations").path("summary").asText()).as(name).isNotBlank();
            assertThat(rule.path("annotations").path("description").asText()).as(name).isNotBlank();
            assertThat(rule.fieldNames()).toIterable().as(name)
                    .allMatch(field -> Set.of("alert", "expr", "for", "labels", "annotations").contains(field));
        }
        assertThat(names).doesNotHaveDuplicates().contains("PayoutsReviewRequired", "PayoutsPendingGrowing",
                "PayoutsConflict", "PayoutsProviderErrorRate", "PayoutsProviderPaused", "PayoutsCallbacksRefused");
    }

    @Test
    void aLabelValueThatIsNeverEmittedIsCaught() {
        assertThat(labelValuesNotEmitted("rate(payouts_provider_call_seconds_count{outcome=~\"unknown|timeout\"}[5m])"))
                .containsExactly("outcome=timeout");
        assertThat(labelValuesNotEmitted("payouts_total{status=\"SUCCEEDED\"}")).isEmpty();
    }

    /** Brackets balance, and every label value matched on is one the gateway emits. */
    private static void wellFormed(String expression) {
        assertThat(expression).isNotBlank();
        int round = 0;
        int curly = 0;
        int square = 0;
        boolean quoted = false;
        for (char c : expression.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted) {
                round += c == '(' ? 1 : c == ')' ? -1 : 0;
                curly += c == '{' ? 1 : c == '}' ? -1 : 0;
                square += c == '[' ? 1 : c == ']' ? -1 : 0;
                assertThat(round >= 0 && curly >= 0 && square >= 0).as(expression).isTrue();
            }
        }
        assertThat(List.of(round, curly, square, quoted ? 1 : 0)).as(expression).containsOnly(0);
        assertThat(labelValuesNotEmitted(expression)).as(expression).isEmpty();
    }

    private static List<String> labelValuesNotEmitted(String expression) {
        List<String> strangers = new ArrayList<>();
        Matcher matcher = LABEL_MATCH.matcher(expression);
        while (matcher.find()) {
            for (String value : matcher.group(2).split("\\|")) {
                if (!EMITTED.get(matcher.group(1)).contains(value)) {
                    strangers.add(matcher.group(1) + "=" + value);
                }
            }
        }
        return strangers;
    }

    /** Panels sit in Grafana's 24 columns without overlapping. */
    private static void occupy(boolean[][] grid, JsonNode panel) {
        JsonNode at = panel.path("gridPos");
        int x = at.path("x").asInt();
        int y = at.path("y").asInt();
        assertThat(x + at.path("w").asInt()).as(panel.path("title").asText()).isLessThanOrEqualTo(24);
        for (int column = x; column < x + at.path("w").asInt(); column++) {
            for (int row = y; row < y + at.path("h").asInt(); row++) {
                assertThat(grid[column][row]).as("overlap at " + panel.path("title").asText()).isFalse();
                grid[column][row] = true;
            }
        }
    }
}
