package id.camelpayouts;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.util.TimeUtils;

/**
 * The settings as the engine reads them: Camel's properties (the host's or the gateway's own
 * file, system properties, and environment variables named after the keys: Camel looks up
 * {@code PAYOUTS_RECONCILE_INTERVAL} for {@code payouts.reconcile.interval}) over the library's
 * defaults ({@code camel-payouts/defaults.properties}, the one place a default is written).
 *
 * <p>Every setting the library reads has a default there (a test checks it), so {@link #text}
 * never needs a fallback: a key without a value is a mistake in this code, reported as one.
 */
public final class Settings {

    /** The library's defaults, one line of explanation each. */
    static final String DEFAULTS = "/camel-payouts/defaults.properties";

    private final PropertiesComponent properties;

    private Settings(PropertiesComponent properties) {
        this.properties = properties;
    }

    public static Settings of(CamelContext context) {
        return new Settings(context.getPropertiesComponent());
    }

    /**
     * Puts the library's defaults under every key the application did not set (as override
     * properties, which is how Camel Main also applies {@code camel.component.*} ones to the
     * components: the provider HTTP timeouts are set that way).
     */
    static Settings withLibraryDefaults(CamelContext context) throws IOException {
        Settings settings = of(context);
        Properties defaults = libraryDefaults();
        for (String key : defaults.stringPropertyNames()) {
            if (settings.properties.resolveProperty(key).isEmpty()) {
                settings.properties.addOverrideProperty(key, defaults.getProperty(key));
            }
        }
        return settings;
    }

    static Properties libraryDefaults() throws IOException {
        Properties defaults = new Properties();
        try (InputStream in = Settings.class.getResourceAsStream(DEFAULTS)) {
            defaults.load(in);
        }
        return defaults;
    }

    /** The setting's value, trimmed (possibly empty). */
    public String text(String key) {
        return properties.resolveProperty(key).map(String::trim).orElseThrow(() -> new IllegalStateException(
                "setting " + key + " has no value: it is missing from " + DEFAULTS));
    }

    /** A setting that must not be empty (a credential, an address): the error names it. */
    public String required(String key) {
        String value = text(key);
        if (value.isEmpty()) {
            throw new IllegalStateException("missing configuration: " + key + " (environment variable "
                    + environmentVariable(key) + ")");
        }
        return value;
    }

    /**
     * A setting the library has no default for because it belongs to the application (the
     * gateway's broker, Camel's own {@code camel.*} keys): empty when the application did not set it.
     */
    public String optional(String key) {
        return properties.resolveProperty(key).map(String::trim).orElse("");
    }

    public boolean isSet(String key) {
        return !optional(key).isEmpty();
    }

    public long number(String key) {
        return Long.parseLong(text(key));
    }

    public int integer(String key) {
        return Integer.parseInt(text(key));
    }

    public boolean flag(String key) {
        return Boolean.parseBoolean(text(key));
    }

    /** A duration: {@code 500ms}, {@code 5s}, {@code 2m}, {@code 24h}; a plain number is milliseconds. */
    public Duration duration(String key) {
        return duration(text(key), key);
    }

    /** Comma-separated values, blanks dropped. */
    public List<String> list(String key) {
        return split(text(key));
    }

    /** Comma-separated durations, e.g. {@code 2s,10s,30s}. */
    public List<Duration> durations(String key) {
        return list(key).stream().map(text -> duration(text, key)).toList();
    }

    /** Adds or replaces a setting for everything that reads it after this (routes included). */
    public void set(String key, String value) {
        properties.addOverrideProperty(key, value);
    }

    public Optional<String> lookup(String key) {
        return properties.resolveProperty(key);
    }

    static List<String> split(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** The environment variable Camel reads for a key: upper case, '.' and '-' as '_'. */
    public static String environmentVariable(String key) {
        return key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static Duration duration(String text, String key) {
        try {
            return Duration.ofMillis(TimeUtils.toMilliSeconds(text.trim()));
        } catch (RuntimeException e) {
            throw new IllegalStateException(key + " is not a duration (e.g. 500ms, 30s, 2m): " + text, e);
        }
    }
}
