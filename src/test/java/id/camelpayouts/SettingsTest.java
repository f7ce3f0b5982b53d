package id.camelpayouts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/**
 * One home per setting: every setting the library reads (a {@code {{placeholder}}} in the engine's
 * routes and blocks, a key read in Java) has its default in camel-payouts/defaults.properties,
 * with a line saying what it does; the gateway's application.properties holds only what the
 * gateway adds or changes; the README's configuration table names every setting by the
 * environment variable Camel reads for it.
 */
class SettingsTest {

    /** A key read in Java: through a Settings method that needs a value, with the key written out. */
    private static final Pattern READ_IN_JAVA = Pattern.compile(
            "(?:\\.(?:text|required|number|integer|flag|duration|list|durations)\\(|port\\(settings, )\"([a-z][a-z0-9.-]+)\"");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-z][a-z0-9-]*\\.[a-z0-9.-]+)}}");
    /** Set by GatewayConfiguration itself before anything reads it. */
    private static final Set<String> SET_BY_THE_GATEWAY = Set.of("payouts.webhook.enabled", "payouts.jms.outcomes-enabled");

    @Test
    void everySettingTheLibraryReadsHasADefault() throws IOException {
        Set<String> defaults = keys(Path.of("src/main/resources/camel-payouts/defaults.properties"));
        Set<String> read = new TreeSet<>();
        read.addAll(placeholders(Path.of("routes/engine")));
        read.addAll(placeholders(Path.of("routes/blocks")));
        try (Stream<Path> java = Files.walk(Path.of("src/main/java/id/camelpayouts"))) {
            for (Path file : java.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> !f.endsWith("GatewayConfiguration.java")).toList()) {
                read.addAll(readInJava(file));
            }
        }
        assertThat(read).as("read by the library").contains("payouts.reconcile.interval", "payouts.provider.timeout",
                "duitku.base-url", "payouts.concurrency");
        assertThat(defaults).as("camel-payouts/defaults.properties").containsAll(read);
    }

    @Test
    void everySettingTheGatewayReadsHasADefaultInTheLibraryOrTheGatewaysFile() throws IOException {
        Set<String> known = new TreeSet<>(keys(Path.of("src/main/resources/camel-payouts/defaults.properties")));
        known.addAll(keys(Path.of("application.properties")));
        known.addAll(SET_BY_THE_GATEWAY);
        Set<String> read = new TreeSet<>(placeholders(Path.of("routes/gateway")));
        read.addAll(readInJava(Path.of("src/main/java/id/camelpayouts/GatewayConfiguration.java")));
        assertThat(read).contains("payouts.inbox", "payouts.jms.url", "camel.server.port");
        assertThat(known).containsAll(read);
    }

    /** Each group of settings in defaults.properties comes after a comment saying what they are. */
    @Test
    void everyDefaultIsExplained() throws IOException {
        List<String> unexplained = new ArrayList<>();
        boolean explained = false;
        for (String line : Files.readAllLines(Path.of("src/main/resources/camel-payouts/defaults.properties"))) {
            String text = line.trim();
            if (text.startsWith("# ---") || text.isEmpty()) {
                explained = false;
            } else if (text.startsWith("#")) {
                explained = true;
            } else if (!explained) {
                unexplained.add(text);
            }
        }
        assertThat(unexplained).isEmpty();
    }

    /** A setting in application.properties that the library has too is there because the gateway changes it. */
    @Test
    void theGatewaysFileHoldsOnlyWhatTheGatewayChanges() throws IOException {
        Properties defaults = load(Path.of("src/main/resources/camel-payouts/defaults.properties"));
        Properties gateway = load(Path.of("application.properties"));
        Map<String, String> repeated = new TreeMap<>();
        for (String key : gateway.stringPropertyNames()) {
            if (gateway.getProperty(key).equals(defaults.getProperty(key))) {
                repeated.put(key, gateway.getProperty(key));
            }
        }
        assertThat(repeated).as("written in both files with the same value").isEmpty();
    }

    /**
     * README, "Configuration": {@code | `VARIABLE` | `key` | default | gateway | host | meaning |}.
     * Every variable of a payouts/provider setting is the one Camel reads for its key (so it works
     * wherever the key is read); every setting of the library is in the table.
     */
    @Test
    void theReadmeTableNamesEverySettingByItsVariable() throws IOException {
        Pattern row = Pattern.compile("^\\| `([A-Z0-9_]+)` \\| `([a-z0-9.-]+)` \\| [^|]* \\| (yes|no) \\| (yes|no) \\|.*");
        Map<String, String> keyOfVariable = new TreeMap<>();
        Set<String> inAHost = new TreeSet<>();
        for (String line : Files.readAllLines(Path.of("README.md"))) {
            Matcher m = row.matcher(line);
            if (m.matches()) {
                keyOfVariable.put(m.group(1), m.group(2));
                if ("yes".equals(m.group(4))) {
                    inAHost.add(m.group(1));
                }
            }
        }
        assertThat(keyOfVariable).containsEntry("PAYOUTS_WEBHOOK_KEY", "payouts.webhook.key")
                .containsEntry("PAYOUTS_CONCURRENCY", "payouts.concurrency")
                .containsEntry("PAYOUTS_PROVIDER_TIMEOUT", "payouts.provider.timeout");
        keyOfVariable.forEach((variable, key) -> {
            if (!key.startsWith("camel.")) {
                assertThat(Settings.environmentVariable(key)).as(key).isEqualTo(variable);
            }
        });
        Set<String> library = new TreeSet<>(keys(Path.of("src/main/resources/camel-payouts/defaults.properties")));
        library.removeIf(key -> key.startsWith("camel.component."));
        assertThat(keyOfVariable.values()).containsAll(library);
        assertThat(inAHost).as("every library setting works in a host").containsAll(library.stream()
                .map(Settings::environmentVariable).toList());
    }

    @Test
    void durationsAreWrittenOneWayAndAPlainNumberIsMilliseconds() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            Settings settings = Settings.withLibraryDefaults(context);
            assertThat(settings.duration("payouts.provider.timeout")).isEqualTo(Duration.ofSeconds(30));
            settings.set("payouts.provider.timeout", "1500");
            assertThat(settings.duration("payouts.provider.timeout")).isEqualTo(Duration.ofMillis(1500));
            settings.set("payouts.provider.timeout", "thirty");
            assertThatThrownBy(() -> settings.duration("payouts.provider.timeout"))
                    .hasMessageStartingWith("payouts.provider.timeout is not a duration");
            assertThatThrownBy(() -> settings.text("payouts.no-such-setting"))
                    .hasMessageContaining("missing from /camel-payouts/defaults.properties");
        }
    }

    @Test
    void anApplicationsOwnValueWinsOverTheLibrarysDefault() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.getPropertiesComponent().addInitialProperty("payouts.reconcile.interval", "1s");
            Settings settings = Settings.withLibraryDefaults(context);
            assertThat(settings.text("payouts.reconcile.interval")).isEqualTo("1s");
            assertThat(settings.text("payouts.reconcile.batch")).isEqualTo("200");
        }
    }

    private static Set<String> placeholders(Path folder) throws IOException {
        Set<String> keys = new TreeSet<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".camel.yaml")).toList()) {
                Matcher m = PLACEHOLDER.matcher(Files.readString(file));
                while (m.find()) {
                    keys.add(m.group(1));
                }
            }
        }
        return keys;
    }

    private static Set<String> readInJava(Path file) throws IOException {
        Set<String> keys = new TreeSet<>();
        Matcher m = READ_IN_JAVA.matcher(Files.readString(file));
        while (m.find()) {
            keys.add(m.group(1));
        }
        return keys;
    }

    private static Set<String> keys(Path file) throws IOException {
        return new TreeSet<>(load(file).stringPropertyNames());
    }

    private static Properties load(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            properties.load(in);
        }
        return properties;
    }
}
