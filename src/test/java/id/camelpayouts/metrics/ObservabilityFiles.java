package id.camelpayouts.metrics;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The Grafana dashboard and the Prometheus alert rules under observability/, read as Grafana and
 * Prometheus read them, and the metrics their queries use.
 */
public final class ObservabilityFiles {

    public static final String DASHBOARD = "observability/grafana/camel-payouts.json";
    public static final String ALERTS = "observability/prometheus/camel-payouts-alerts.yml";
    /** Used by the dashboard or an alert before the gateway exports it: none now. */
    public static final Set<String> NOT_YET_EXPORTED = Set.of();

    private static final Pattern METRIC = Pattern.compile("\\bpayouts_[a-z0-9_]+");

    private ObservabilityFiles() {
    }

    public static JsonNode dashboard(Path file) throws IOException {
        return new ObjectMapper().readTree(file.toFile());
    }

    public static JsonNode alerts(Path file) throws IOException {
        return new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    }

    /** Every query of the dashboard: the panels' targets and the template variables' queries. */
    public static List<String> dashboardQueries(JsonNode dashboard) {
        List<String> queries = new ArrayList<>();
        for (JsonNode panel : panels(dashboard)) {
            for (JsonNode target : panel.path("targets")) {
                queries.add(target.path("expr").asText());
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            JsonNode query = variable.path("query");
            queries.add(query.isObject() ? query.path("query").asText() : query.asText());
        }
        return queries;
    }

    /** The panels, those inside collapsed rows included. */
    public static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            panels.add(panel);
            panel.path("panels").forEach(panels::add);
        }
        return panels;
    }

    public static List<JsonNode> rules(JsonNode alerts) {
        List<JsonNode> rules = new ArrayList<>();
        for (JsonNode group : alerts.path("groups")) {
            group.path("rules").forEach(rules::add);
        }
        return rules;
    }

    public static Set<String> metricsOfDashboard(Path file) throws IOException {
        return metrics(dashboardQueries(dashboard(file)));
    }

    public static Set<String> metricsOfAlerts(Path file) throws IOException {
        return metrics(rules(alerts(file)).stream().map(rule -> rule.path("expr").asText()).toList());
    }

    /** The payouts_* metric names a set of PromQL expressions uses. */
    public static Set<String> metrics(List<String> expressions) {
        Set<String> names = new TreeSet<>();
        for (String expression : expressions) {
            Matcher matcher = METRIC.matcher(expression);
            while (matcher.find()) {
                names.add(matcher.group());
            }
        }
        return names;
    }
}
